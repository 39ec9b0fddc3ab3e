package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.bizmatters.agentexecutor.agent.definition.ModelSpec;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.testsupport.AnthropicTestServer;
import io.bizmatters.agentexecutor.testsupport.OllamaTestServer;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A provider that answers 200 with something other than its stream, or stalls after the headers,
 * against the real langchain4j clients: each call ends within its deadlines as a JobFailure naming
 * the provider and what was wrong, is not retried, and never hangs.
 */
class ModelProtocolErrorsTest {
    private static final OpenAiTestServer OPENAI = new OpenAiTestServer();
    private static final AnthropicTestServer ANTHROPIC = new AnthropicTestServer();
    private static final OllamaTestServer OLLAMA = new OllamaTestServer();
    private static final ModelSettings SETTINGS = ModelSettings.fromEnvironment(Map.of(
            "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", OPENAI.baseUrl(),
            "ANTHROPIC_API_KEY", "test-key", "ANTHROPIC_BASE_URL", ANTHROPIC.baseUrl() ,
            "OLLAMA_BASE_URL", OLLAMA.baseUrl(),
            "AGENT_MODEL_IDLE_TIMEOUT_SECONDS", "1", "AGENT_MODEL_TOTAL_TIMEOUT_SECONDS", "5",
            "AGENT_MODEL_MAX_RETRIES", "3", "AGENT_MODEL_RETRY_BACKOFF_MILLIS", "1"));
    private static final ChatModelFactory MODELS = new ChatModelFactory(SETTINGS);
    private static final StreamingModelCall CALL = new StreamingModelCall(SETTINGS);
    private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from("hi")).build();
    private static final StreamingModelCall.Listener IGNORED = new StreamingModelCall.Listener() {
        @Override
        public void token(String text) {
        }

        @Override
        public void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk) {
        }
    };

    @AfterAll
    static void closeServers() {
        OPENAI.close();
        ANTHROPIC.close();
        OLLAMA.close();
    }

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("openai", ScriptedModelServer.notAStream(), "without sending any event"),
                Arguments.of("openai", ScriptedModelServer.html(), "'text/html'"),
                Arguments.of("openai", ScriptedModelServer.nonJsonEvents(), "not JSON"),
                Arguments.of("openai", ScriptedModelServer.oneEventThenSilence(), "sent nothing for 1 s"),
                Arguments.of("anthropic", ScriptedModelServer.html(), "'text/html'"),
                Arguments.of("anthropic", ScriptedModelServer.nonJsonEvents(), "not JSON"),
                Arguments.of("anthropic", ScriptedModelServer.oneEventThenSilence(), "sent nothing for 1 s"),
                Arguments.of("ollama", ScriptedModelServer.brokenNdjson(), "not JSON"),
                Arguments.of("ollama", ScriptedModelServer.html(), "'text/html'"),
                Arguments.of("ollama", ScriptedModelServer.oneEventThenSilence(), "sent nothing for 1 s"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("garbage")
    void aProviderAnswering200WithGarbageFailsTheCallOnceNamingItAndWhatWasWrong(String provider,
                                                                                ScriptedModelServer.Reply reply,
                                                                                String reason) {
        ScriptedModelServer<?> server = server(provider);
        int callsBefore = server.calls();
        server.enqueue(reply);
        long started = System.nanoTime();

        assertThatThrownBy(() -> CALL.call(MODELS.create(spec(provider)), REQUEST, IGNORED))
                .isInstanceOf(JobFailure.class)
                .hasMessageStartingWith(provider + " model 'm'")
                .hasMessageContaining(reason)
                .hasMessageNotContaining("Exception");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the call ends; it does not hang")
                .isLessThan(Duration.ofSeconds(60));
        assertThat(server.calls() - callsBefore).as("a protocol error is not retried").isEqualTo(1);
    }

    @Test
    void aStreamThatOutlastsTheTotalDeadlineIsCutThere() {
        ModelSettings tight = ModelSettings.fromEnvironment(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", OPENAI.baseUrl(),
                "AGENT_MODEL_IDLE_TIMEOUT_SECONDS", "30", "AGENT_MODEL_TOTAL_TIMEOUT_SECONDS", "1"));
        OPENAI.enqueue(ScriptedModelServer.oneEventThenSilence());

        assertThatThrownBy(() -> new StreamingModelCall(tight).call(new ChatModelFactory(tight).create(spec("openai")), REQUEST, IGNORED))
                .isInstanceOf(JobFailure.class).hasMessageContaining("within 1 s (AGENT_MODEL_TOTAL_TIMEOUT_SECONDS)");
    }

    private static ScriptedModelServer<?> server(String provider) {
        return switch (provider) {
            case "openai" -> OPENAI;
            case "anthropic" -> ANTHROPIC;
            default -> OLLAMA;
        };
    }

    private static ModelSpec spec(String provider) {
        return new ModelSpec(ModelSpec.Provider.valueOf(provider.toUpperCase(java.util.Locale.ROOT)), "m", null, null);
    }
}
