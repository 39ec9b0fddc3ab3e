package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retry decisions that the HTTP test server cannot provoke: a stream that breaks after tokens
 * reached the watchers, and a provider that rejects the key.
 */
class StreamingModelCallTest {
    private final StreamingModelCall call = new StreamingModelCall(ModelSettings.fromEnvironment(
            Map.of("AGENT_MODEL_MAX_RETRIES", "3", "AGENT_MODEL_RETRY_BACKOFF_MILLIS", "1")));
    private final ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).build();
    private final List<String> tokens = new ArrayList<>();
    private final StreamingModelCall.Listener listener = new StreamingModelCall.Listener() {
        @Override
        public void token(String text) {
            tokens.add(text);
        }

        @Override
        public void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk) {
        }
    };

    @Test
    void aStreamThatBreaksAfterTokensIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        StreamingChatModel breaksMidway = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
                attempts.incrementAndGet();
                handler.onPartialResponse("Hel");
                handler.onError(new InternalServerException("connection reset by the provider"));
            }
        };

        assertThatThrownBy(() -> call.call(new AgentModel(breaksMidway, "openai", "m"), request, listener))
                .isInstanceOf(InfrastructureFault.class).hasMessageContaining("after 1 attempt(s)");
        assertThat(attempts).hasValue(1);
        assertThat(tokens).containsExactly("Hel");
    }

    @Test
    void aRejectedKeyFailsTheJobAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        StreamingChatModel rejects = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
                attempts.incrementAndGet();
                handler.onError(new AuthenticationException("invalid api key"));
            }
        };

        assertThatThrownBy(() -> call.call(new AgentModel(rejects, "openai", "m"), request, listener))
                .isInstanceOf(JobFailure.class).hasMessage("openai model 'm' rejected the call: invalid api key");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aCancelDuringTheBackoffEndsTheCallWithTheInterruptCleared() throws Exception {
        StreamingModelCall slowBackoff = new StreamingModelCall(ModelSettings.fromEnvironment(
                Map.of("AGENT_MODEL_MAX_RETRIES", "3", "AGENT_MODEL_RETRY_BACKOFF_MILLIS", "60000")));
        AtomicInteger attempts = new AtomicInteger();
        Thread caller = Thread.currentThread();
        StreamingChatModel unavailable = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
                attempts.incrementAndGet();
                handler.onError(new InternalServerException("overloaded"));
                Thread.ofVirtual().start(() -> {
                    while (caller.getState() != Thread.State.TIMED_WAITING) {
                        Thread.onSpinWait();
                    }
                    caller.interrupt();
                });
            }
        };

        assertThatThrownBy(() -> slowBackoff.call(new AgentModel(unavailable, "openai", "m"), request, listener))
                .isInstanceOf(InfrastructureFault.class).hasMessage("interrupted while backing off from the model");
        assertThat(Thread.interrupted()).isFalse();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void settingsNeverPrintKeys() {
        ModelSettings settings = ModelSettings.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-secret-value"));

        assertThat(settings.toString()).doesNotContain("sk-secret-value").contains("openAiApiKey=set");
    }
}
