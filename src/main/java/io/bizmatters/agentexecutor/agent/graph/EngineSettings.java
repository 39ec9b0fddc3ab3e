package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.models.ModelSettings;
import io.bizmatters.agentexecutor.config.SettingsReader;

import java.util.Map;

/**
 * The engine's settings: the models', and {@code AGENT_STEP_LIMIT} (model calls plus tool
 * executions per job, default 500; LangGraph's recursion limit plays this part in the Python
 * service, where deep agents raise it to 1000 super-steps of a coarser graph).
 */
public record EngineSettings(ModelSettings models, int stepLimit) {

    /** The same reading over a given environment, for tests and tools; start-up uses {@link #from}. */
    public static EngineSettings fromEnvironment(Map<String, String> env) {
        SettingsReader reader = SettingsReader.of(env);
        EngineSettings settings = from(reader);
        reader.failOnProblems();
        return settings;
    }

    public static EngineSettings from(SettingsReader reader) {
        return new EngineSettings(ModelSettings.from(reader), reader.positiveInt("AGENT_STEP_LIMIT"));
    }
}
