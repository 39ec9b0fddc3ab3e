package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.JobControl;

/**
 * What every step asks before it runs, in one place: job control (a cancel, the deadline), the
 * job's budget, and the step limit as a last guard.
 */
final class StepGuard {
    private final JobControl control;
    private final Budget budget;
    private final int stepLimit;

    StepGuard(JobControl control, Budget budget, int stepLimit) {
        this.control = control;
        this.budget = budget;
        this.stepLimit = stepLimit;
    }

    void beforeModelCall(DeepAgentState state) {
        control.check();
        budget.beforeModelCall(state);
        StepLimit.check(state, stepLimit);
    }

    /** Applying a person's decisions calls no model or tool: only a cancel or the deadline stops it. */
    void beforeApproval() {
        control.check();
    }

    void beforeToolCall(DeepAgentState state, String agentId, boolean delegates) {
        control.check();
        budget.beforeToolCall(state, agentId, delegates);
        StepLimit.check(state, stepLimit);
    }
}
