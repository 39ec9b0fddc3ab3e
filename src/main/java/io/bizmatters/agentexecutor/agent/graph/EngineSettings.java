package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.models.ModelSettings;
import io.bizmatters.agentexecutor.config.SettingsReader;

import java.util.Map;

/**
 * The engine's settings: the models', {@code AGENT_STEP_LIMIT} (model calls plus tool executions
 * per job, default 500; LangGraph's recursion limit plays this part in the Python service, where
 * deep agents raise it to 1000 super-steps of a coarser graph), and
 * {@code AGENT_MAX_PARALLEL_TOOL_CALLS} (model calls and tool executions of one job at work at
 * once across its parallel branches, default 8).
 */
public record EngineSettings(ModelSettings models, int stepLimit, int maxParallelToolCalls) {

    /** The same reading over a given environment, for tests and tools; start-up uses {@link #from}. */
    public static EngineSettings fromEnvironment(Map<String, String> env) {
        return SettingsReader.read(env, EngineSettings::from);
    }

    public static EngineSettings from(SettingsReader reader) {
        return new EngineSettings(ModelSettings.from(reader), reader.positiveInt("AGENT_STEP_LIMIT"),
                reader.positiveInt("AGENT_MAX_PARALLEL_TOOL_CALLS"));
    }
}
