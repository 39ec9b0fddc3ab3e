package io.bizmatters.agentexecutor.control;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.agent.Limit;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.jobs.JobRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The jobs this process runs, each under its {@link JobControl}: a cancel or its deadline stops it
 * at its next step, and at once when it waits on a model or a tool route. One timer thread holds
 * every job's deadline, so 2,000 jobs in flight cost no thread each.
 */
public class RunningJobs implements JobControl.Lookup, AutoCloseable {
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("job-deadlines").factory());

    /**
     * Runs a job this delivery has claimed. A job cancelled before it ran stops at its first step,
     * so its stream still ends with the Cancelled error.
     */
    public AgentOutcome run(AgentJob job, JobRecord claimed, AgentRunner engine) {
        long deadline = claimed.untilDeadline() == null ? Long.MAX_VALUE : System.nanoTime() + claimed.untilDeadline().toNanos();
        RunningJob control = new RunningJob(job.jobId(), Thread.currentThread(), job.limits().value(Limit.TIMEOUT_SECONDS),
                deadline);
        if (claimed.cancelReason() != null) {
            control.stop(new Cancelled(claimed.cancelReason()));
        }
        running.put(job.jobId(), control);
        ScheduledFuture<?> timer = claimed.untilDeadline() == null ? null
                : deadlines.schedule(() -> control.stop(control.timeout()), claimed.untilDeadline().toMillis(), TimeUnit.MILLISECONDS);
        control.arm();
        try {
            return engine.run(job);
        } finally {
            control.disarm();
            if (timer != null) {
                timer.cancel(false);
            }
            running.remove(job.jobId(), control);
        }
    }

    @Override
    public JobControl of(String jobId) {
        RunningJob control = running.get(jobId);
        return control == null ? JobControl.NONE : control;
    }

    /** Stops the job if this process runs it; true when it does. */
    public boolean cancel(String jobId, String reason) {
        RunningJob control = running.get(jobId);
        if (control == null) {
            return false;
        }
        control.stop(new Cancelled(reason));
        return true;
    }

    /** Jobs found cancelled by the lease renewal, by job id with their reasons: a missed broadcast costs 20 s at most. */
    public void cancelAll(Map<String, String> cancelled) {
        cancelled.forEach(this::cancel);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
