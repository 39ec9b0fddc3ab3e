package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * What every step asks before it runs, in one place: a permit of the job's
 * {@code AGENT_MAX_PARALLEL_TOOL_CALLS}, whether its fan-out was halted, job control (a cancel, the
 * deadline), the job's budget and the step limit as a last guard, the last two against the
 * {@link JobBook} of all the job's branches.
 *
 * <p>Only a step's own work holds a permit: a model call, a tool execution. A tools step waiting
 * for its branches holds none, so a specialist whose own calls need permits never waits on its
 * caller's: no permit holder ever waits for another permit, and nesting cannot deadlock.
 */
final class StepGuard {
    private final JobControl control;
    private final Budget budget;
    private final int stepLimit;
    private final JobBook book = new JobBook();
    private final Semaphore permits;

    StepGuard(JobControl control, Budget budget, int stepLimit, int maxParallel) {
        this.control = control;
        this.budget = budget;
        this.stepLimit = stepLimit;
        this.permits = new Semaphore(maxParallel, true);
    }

    JobBook book() {
        return book;
    }

    JobControl control() {
        return control;
    }

    Step beforeModelCall(AgentThread thread) {
        return start(thread, thread.agentId(), true, (usage, steps) -> {
            budget.beforeModelCall(usage);
            StepLimit.check(steps, stepLimit);
        });
    }

    /** Applying a person's decisions calls no model or tool: only a halt, a cancel or the deadline stops it. */
    void beforeApproval(AgentThread thread) {
        thread.halt().check();
        control.check();
    }

    Step beforeToolCall(AgentThread thread, boolean delegates) {
        return start(thread, thread.agentId(), false, (usage, steps) -> {
            budget.beforeToolCall(usage, thread.agentId(), delegates, thread.depth());
            StepLimit.check(steps, stepLimit);
        });
    }

    /**
     * A call of a fan-out, checked and counted in the caller's thread in the model's order before
     * any call starts, so which calls a limit lets through does not depend on thread timing. It
     * takes its permit when its work starts ({@link Step#acquirePermit}).
     */
    Step admit(AgentThread thread, boolean delegates) {
        thread.halt().check();
        control.check();
        return new Step(thread.threadId(), book.reserve(thread.agentId(), false, (usage, steps) -> {
            budget.beforeToolCall(usage, thread.agentId(), delegates, thread.depth());
            StepLimit.check(steps, stepLimit);
        }), false);
    }

    /**
     * A call whose branch started on an earlier run: it passed its checks then, so it only takes its
     * place in the job's counts until the join, without a permit.
     */
    Step replayed(AgentThread thread) {
        return new Step(thread.threadId(), book.reserve(thread.agentId(), false, (usage, steps) -> { }), false);
    }

    private Step start(AgentThread thread, String agentId, boolean modelCall, JobBook.Check check) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            control.check();
            throw new InfrastructureFault("engine", "interrupted while waiting for a parallel-call permit", e);
        }
        try {
            thread.halt().check();
            control.check();
            return new Step(thread.threadId(), book.reserve(agentId, modelCall, check), true);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /**
     * The steps of one thread are done together (a fan-out's calls at its join): its update holds
     * what they spent, and {@code joined} are the branches whose counts it took in.
     */
    void done(List<Step> steps, String threadId, Map<String, Object> agentUsage, int stepCount, List<String> joined) {
        book.done(steps.stream().map(step -> step.reservation).toList(), threadId, agentUsage, stepCount, joined);
        steps.forEach(step -> step.done = true);
    }

    /** One model call or tool execution at work: its permit and its place in the job's counts. */
    final class Step implements AutoCloseable {
        private final String threadId;
        private final JobBook.Reservation reservation;
        private boolean done;
        private boolean holdsPermit;

        private Step(String threadId, JobBook.Reservation reservation, boolean holdsPermit) {
            this.threadId = threadId;
            this.reservation = reservation;
            this.holdsPermit = holdsPermit;
        }

        /** The step's update holds what it spent. */
        void done(Map<String, Object> agentUsage, int steps) {
            StepGuard.this.done(List.of(this), threadId, agentUsage, steps, List.of());
        }

        /** A fan-out's call takes its permit when its work starts, on its own thread. */
        void acquirePermit() {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                control.check();
                throw new InfrastructureFault("engine", "interrupted while waiting for a parallel-call permit", e);
            }
            holdsPermit = true;
        }

        /** A task call's specialist takes a permit per step of its own: the call lets its own go at once. */
        void releasePermit() {
            if (holdsPermit) {
                holdsPermit = false;
                permits.release();
            }
        }

        /** A step that ends without {@link #done} spent nothing the state will hold. */
        @Override
        public void close() {
            releasePermit();
            if (!done) {
                book.release(reservation);
                done = true;
            }
        }
    }
}
