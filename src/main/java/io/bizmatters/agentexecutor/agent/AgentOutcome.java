package io.bizmatters.agentexecutor.agent;

import java.util.List;

/** A finished job: the orchestrator's final assistant text and what each model charged for it. */
public record AgentOutcome(String output, List<ModelUsage> usage) {

    /** Tokens one model consumed over the whole job. */
    public record ModelUsage(String provider, String model, long inputTokens, long outputTokens) {
    }
}
