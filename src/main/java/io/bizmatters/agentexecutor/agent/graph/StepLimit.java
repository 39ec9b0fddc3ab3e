package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.failure.JobFailure;

/**
 * Stops a job whose agents loop. Counted in the state rather than by LangGraph4j's per-invocation
 * iteration limit, so the count survives a resume.
 */
final class StepLimit {
    private StepLimit() {
    }

    static void check(DeepAgentState state, int limit) {
        if (state.steps() >= limit) {
            throw new JobFailure("The agents reached the step limit of " + limit
                    + " model calls and tool executions without a final answer (AGENT_STEP_LIMIT)");
        }
    }
}
