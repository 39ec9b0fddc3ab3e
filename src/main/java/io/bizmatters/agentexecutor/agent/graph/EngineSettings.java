package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.models.ModelSettings;

import java.util.Map;

/**
 * The engine's settings: the models', {@code AGENT_STEP_LIMIT} (model calls plus tool executions
 * per job, default 500; LangGraph's recursion limit plays this part in the Python service, where
 * deep agents raise it to 1000 super-steps of a coarser graph), and
 * {@code AGENT_MAX_PARALLEL_TOOL_CALLS} (model calls and tool executions of one job at work at
 * once across its parallel branches, default 8).
 */
public record EngineSettings(ModelSettings models, int stepLimit, int maxParallelToolCalls) {
    static final int DEFAULT_STEP_LIMIT = 500;
    static final int DEFAULT_MAX_PARALLEL_TOOL_CALLS = 8;

    public static EngineSettings fromEnvironment(Map<String, String> env) {
        return new EngineSettings(ModelSettings.fromEnvironment(env),
                positive(env, "AGENT_STEP_LIMIT", DEFAULT_STEP_LIMIT),
                positive(env, "AGENT_MAX_PARALLEL_TOOL_CALLS", DEFAULT_MAX_PARALLEL_TOOL_CALLS));
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be a positive integer, got '" + text + "'");
        }
        return value;
    }
}
