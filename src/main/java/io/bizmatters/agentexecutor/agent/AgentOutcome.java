package io.bizmatters.agentexecutor.agent;

import java.util.List;

/**
 * A finished job: the orchestrator's final assistant text, what each model charged for it, and
 * what each agent of the tree spent (docs/job-control.md, "Usage").
 */
public record AgentOutcome(String output, List<ModelUsage> usage, List<AgentUsage> agents) {

    /** An outcome that does not account per agent (engines other than the deep-agent graph). */
    public AgentOutcome(String output, List<ModelUsage> usage) {
        this(output, usage, List.of());
    }

    /** Tokens one model consumed over the whole job. */
    public record ModelUsage(String provider, String model, long inputTokens, long outputTokens) {
    }

    /** What one agent (by definition node id and name) spent over the whole job. */
    public record AgentUsage(String agent, String name, long modelCalls, long toolCalls, long inputTokens, long outputTokens) {
    }
}
