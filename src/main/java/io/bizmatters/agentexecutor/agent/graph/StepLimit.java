package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.failure.JobFailure;

/**
 * Stops a job whose agents loop. Counted in the state rather than by LangGraph4j's per-invocation
 * iteration limit, so the count survives a resume.
 */
final class StepLimit {
    private StepLimit() {
    }

    /** @param steps the job's steps so far, in all its branches */
    static void check(int steps, int limit) {
        if (steps >= limit) {
            throw new JobFailure("The agents reached the step limit of " + limit
                    + " model calls and tool executions without a final answer (AGENT_STEP_LIMIT)");
        }
    }
}
