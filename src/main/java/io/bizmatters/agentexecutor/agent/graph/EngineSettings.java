package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.models.ModelSettings;

import java.util.Map;

/**
 * The engine's settings: the models', and {@code AGENT_STEP_LIMIT} (model calls plus tool
 * executions per job, default 500; LangGraph's recursion limit plays this part in the Python
 * service, where deep agents raise it to 1000 super-steps of a coarser graph).
 */
public record EngineSettings(ModelSettings models, int stepLimit) {
    static final int DEFAULT_STEP_LIMIT = 500;

    public static EngineSettings fromEnvironment(Map<String, String> env) {
        String limit = env.get("AGENT_STEP_LIMIT");
        int stepLimit = DEFAULT_STEP_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                stepLimit = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                stepLimit = 0;
            }
            if (stepLimit <= 0) {
                throw new IllegalArgumentException("AGENT_STEP_LIMIT must be a positive integer, got '" + limit + "'");
            }
        }
        return new EngineSettings(ModelSettings.fromEnvironment(env), stepLimit);
    }
}
