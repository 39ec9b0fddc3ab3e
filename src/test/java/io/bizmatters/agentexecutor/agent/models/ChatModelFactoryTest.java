package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.bizmatters.agentexecutor.agent.definition.ModelSpec;
import io.bizmatters.agentexecutor.failure.JobFailure;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatModelFactoryTest {
    private static final ModelSpec CLAUDE = new ModelSpec(ModelSpec.Provider.ANTHROPIC, "claude-test", null, null);
    private static final ModelSpec LLAMA = new ModelSpec(ModelSpec.Provider.OLLAMA, "llama-test", 0.2, 100);

    private static ChatModelFactory factory(Map<String, String> env) {
        return new ChatModelFactory(ModelSettings.fromEnvironment(env));
    }

    @Test
    void aMissingAnthropicKeyNamesTheVariable() {
        assertThatThrownBy(() -> factory(Map.of("OPENAI_API_KEY", "k")).create(CLAUDE))
                .isInstanceOf(JobFailure.class).hasMessageStartingWith("ANTHROPIC_API_KEY is not set");
    }

    @Test
    void eachProviderGetsItsStreamingModelOnceAndSharesIt() {
        ChatModelFactory factory = factory(Map.of("ANTHROPIC_API_KEY", "k", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9/v1"));

        AgentModel claude = factory.create(CLAUDE);

        assertThat(claude.chatModel()).isInstanceOf(AnthropicStreamingChatModel.class);
        assertThat(factory.create(CLAUDE)).isSameAs(claude);
        assertThat(factory.create(LLAMA).chatModel()).isInstanceOf(OllamaStreamingChatModel.class);
    }

    @Test
    void theOfflineModelStandsInOnlyForKeyedProvidersWhenNoKeyIsSet() {
        ChatModelFactory offline = factory(Map.of("AGENT_OFFLINE_MODEL", "auto"));

        assertThat(offline.create(CLAUDE).provider()).isEqualTo("offline");
        assertThat(offline.create(LLAMA).provider()).isEqualTo("ollama");
        // any real key turns the offline model off: a definition needing another key fails loudly
        assertThatThrownBy(() -> factory(Map.of("AGENT_OFFLINE_MODEL", "auto", "OPENAI_API_KEY", "k")).create(CLAUDE))
                .isInstanceOf(JobFailure.class).hasMessageStartingWith("ANTHROPIC_API_KEY is not set");
    }
}
