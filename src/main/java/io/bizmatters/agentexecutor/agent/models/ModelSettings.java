package io.bizmatters.agentexecutor.agent.models;

import io.bizmatters.agentexecutor.config.SettingsReader;

import java.time.Duration;
import java.util.Map;

/**
 * How the engine reaches model providers, read from the service's properties (docs/contract.md;
 * defaults in application.properties):
 * <pre>
 * OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, OLLAMA_BASE_URL
 * AGENT_MODEL_TIMEOUT_SECONDS      until the response headers arrive, default 120
 * AGENT_MODEL_IDLE_TIMEOUT_SECONDS how long a streaming answer may pause between events, default 120 (a reasoning model may think that long)
 * AGENT_MODEL_TOTAL_TIMEOUT_SECONDS how long one model call may last in all, default 600
 * AGENT_MODEL_MAX_RETRIES          retries on 429, 5xx and timeouts before any token arrived, default 3 (0: none)
 * AGENT_MODEL_RETRY_BACKOFF_MILLIS first backoff, doubled on each retry, default 500 (at least 1)
 * AGENT_OFFLINE_MODEL              "auto": with no OPENAI_API_KEY and no ANTHROPIC_API_KEY, openai and
 *                                  anthropic agents use the offline model; default "off"
 * </pre>
 * Keys are kept out of {@link #toString()} so no log line can carry one.
 */
public record ModelSettings(String openAiApiKey, String openAiBaseUrl, String anthropicApiKey,
                            String anthropicBaseUrl, String ollamaBaseUrl, Duration timeout, int maxRetries,
                            Duration firstBackoff, boolean offlineModelAllowed, Duration idleTimeout,
                            Duration totalTimeout) {
    public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String ANTHROPIC_API_KEY = "ANTHROPIC_API_KEY";

    /** The same reading over a given environment, for tests and tools; start-up uses {@link #from}. */
    public static ModelSettings fromEnvironment(Map<String, String> env) {
        return SettingsReader.read(env, ModelSettings::from);
    }

    public static ModelSettings from(SettingsReader reader) {
        return new ModelSettings(
                blankToNull(reader.secret(OPENAI_API_KEY)),
                blankToNull(reader.text("OPENAI_BASE_URL")),
                blankToNull(reader.secret(ANTHROPIC_API_KEY)),
                blankToNull(reader.text("ANTHROPIC_BASE_URL")),
                reader.text("OLLAMA_BASE_URL"),
                Duration.ofSeconds(reader.positiveInt("AGENT_MODEL_TIMEOUT_SECONDS")),
                (int) reader.atLeast("AGENT_MODEL_MAX_RETRIES", 0),
                Duration.ofMillis(reader.positiveInt("AGENT_MODEL_RETRY_BACKOFF_MILLIS")),
                "auto".equalsIgnoreCase(reader.text("AGENT_OFFLINE_MODEL")),
                Duration.ofSeconds(reader.positiveInt("AGENT_MODEL_IDLE_TIMEOUT_SECONDS")),
                Duration.ofSeconds(reader.positiveInt("AGENT_MODEL_TOTAL_TIMEOUT_SECONDS")));
    }

    /** The offline model stands in only when it is allowed and no provider key at all is set. */
    public boolean offlineModelActive() {
        return offlineModelAllowed && openAiApiKey == null && anthropicApiKey == null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "ModelSettings[openAiApiKey=" + (openAiApiKey == null ? "unset" : "set")
                + ", openAiBaseUrl=" + openAiBaseUrl
                + ", anthropicApiKey=" + (anthropicApiKey == null ? "unset" : "set")
                + ", anthropicBaseUrl=" + anthropicBaseUrl + ", ollamaBaseUrl=" + ollamaBaseUrl
                + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", firstBackoff=" + firstBackoff
                + ", offlineModelAllowed=" + offlineModelAllowed + ", idleTimeout=" + idleTimeout
                + ", totalTimeout=" + totalTimeout + "]";
    }
}
