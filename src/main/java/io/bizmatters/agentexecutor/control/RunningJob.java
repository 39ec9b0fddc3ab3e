package io.bizmatters.agentexecutor.control;

import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.agent.Limit;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.failure.Timeout;

import java.util.Optional;

/**
 * One job this process runs, as job control sees it: the thread to interrupt, the deadline, and
 * the first reason it was stopped for. The thread is interrupted only while the job is
 * {@linkplain #arm() armed}, so an interrupt can never reach a thread that has moved on to other
 * work (a Vert.x worker serving the next request).
 */
final class RunningJob implements JobControl {
    private final String jobId;
    private final Thread thread;
    private final Long timeoutSeconds;
    /** {@link System#nanoTime()} at the deadline, or {@link Long#MAX_VALUE} without one. */
    private final long deadlineNanos;
    private volatile JobFailure stop;
    private boolean armed;

    RunningJob(String jobId, Thread thread, Long timeoutSeconds, long deadlineNanos) {
        this.jobId = jobId;
        this.thread = thread;
        this.timeoutSeconds = timeoutSeconds;
        this.deadlineNanos = deadlineNanos;
    }

    String jobId() {
        return jobId;
    }

    synchronized void arm() {
        armed = true;
    }

    /**
     * Called on the job's own thread when it leaves the engine: no interrupt of ours lands after
     * this. Any interrupt still pending (a stop that came after the wait it meant to end, the
     * consumer's shutdown) has done its work: left set, it would fail the delivery's clean-up, since
     * the pool refuses an interrupted thread a connection, and the job's lease would stay held.
     */
    synchronized void disarm() {
        armed = false;
        Thread.interrupted();
    }

    /** Stops the job for {@code why} (the first reason wins); a waiting call ends at once. */
    synchronized void stop(JobFailure why) {
        if (stop == null) {
            stop = why;
            if (armed) {
                thread.interrupt();
            }
        }
    }

    private synchronized JobFailure stopQuietly(JobFailure why) {
        if (stop == null) {
            stop = why;
        }
        return stop;
    }

    Timeout timeout() {
        return new Timeout(Limit.TIMEOUT_SECONDS.field() + " " + timeoutSeconds + " reached: the job has run for " + timeoutSeconds
                + " s since its first start");
    }

    /**
     * Asks no database: a cancel whose broadcast this pod missed is found by the next lease
     * renewal ({@link RunningJobs#cancelAll}, within {@code JobStore.LEASE_RENEWAL}), which stops
     * the job even mid-call; a read of the row at every step cost a commit per step.
     */
    @Override
    public void check() {
        JobFailure why = stop;
        if (why == null && System.nanoTime() - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE) {
            why = stopQuietly(timeout());
        }
        if (why != null) {
            throw why;
        }
    }

    @Override
    public Optional<JobFailure> stopped() {
        return Optional.ofNullable(stop);
    }
}
