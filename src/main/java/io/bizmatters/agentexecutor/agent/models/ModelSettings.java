package io.bizmatters.agentexecutor.agent.models;

import java.time.Duration;
import java.util.Map;

/**
 * How the engine reaches model providers, read from the environment (docs/contract.md; part of
 * {@code config.Settings}):
 * <pre>
 * OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, OLLAMA_BASE_URL
 * AGENT_MODEL_TIMEOUT_SECONDS      until the response headers arrive, default 120
 * AGENT_MODEL_IDLE_TIMEOUT_SECONDS how long a streaming answer may pause between events, default 120 (a reasoning model may think that long)
 * AGENT_MODEL_TOTAL_TIMEOUT_SECONDS how long one model call may last in all, default 600
 * AGENT_MODEL_MAX_RETRIES          retries on 429, 5xx and timeouts before any token arrived, default 3
 * AGENT_MODEL_RETRY_BACKOFF_MILLIS first backoff, doubled on each retry, default 500
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
    static final String DEFAULT_OLLAMA_BASE_URL = "http://localhost:11434";

    public static ModelSettings fromEnvironment(Map<String, String> env) {
        return new ModelSettings(
                blankToNull(env.get(OPENAI_API_KEY)),
                blankToNull(env.get("OPENAI_BASE_URL")),
                blankToNull(env.get(ANTHROPIC_API_KEY)),
                blankToNull(env.get("ANTHROPIC_BASE_URL")),
                env.getOrDefault("OLLAMA_BASE_URL", DEFAULT_OLLAMA_BASE_URL),
                Duration.ofSeconds(positive(env, "AGENT_MODEL_TIMEOUT_SECONDS", 120)),
                (int) positive(env, "AGENT_MODEL_MAX_RETRIES", 3),
                Duration.ofMillis(positive(env, "AGENT_MODEL_RETRY_BACKOFF_MILLIS", 500)),
                "auto".equalsIgnoreCase(env.getOrDefault("AGENT_OFFLINE_MODEL", "off").strip()),
                Duration.ofSeconds(atLeastOne(env, "AGENT_MODEL_IDLE_TIMEOUT_SECONDS", 120)),
                Duration.ofSeconds(atLeastOne(env, "AGENT_MODEL_TOTAL_TIMEOUT_SECONDS", 600)));
    }

    /** The offline model stands in only when it is allowed and no provider key at all is set. */
    public boolean offlineModelActive() {
        return offlineModelAllowed && openAiApiKey == null && anthropicApiKey == null;
    }

    private static long positive(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the variable's name
        }
        throw new IllegalArgumentException(name + " must be a non-negative integer, got '" + value + "'");
    }

    private static long atLeastOne(Map<String, String> env, String name, long fallback) {
        long value = positive(env, name, fallback);
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got '" + env.get(name) + "'");
        }
        return value;
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
