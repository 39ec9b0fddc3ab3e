package io.bizmatters.agentexecutor.agent.definition;

/**
 * Which model an agent talks to. {@code temperature} and {@code maxTokens} are null when the
 * definition leaves them to the provider's defaults.
 */
public record ModelSpec(Provider provider, String model, Double temperature, Integer maxTokens) {

    public enum Provider {
        OPENAI, ANTHROPIC, OLLAMA;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
