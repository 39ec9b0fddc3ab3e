package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.bizmatters.agentexecutor.agent.definition.ModelSpec;
import io.bizmatters.agentexecutor.testsupport.FirstTokens;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow models stream to many jobs at once: no job's stream waits for another's to end.
 * langchain4j's default HTTP client reads every stream on a common-pool thread, which blocks for
 * the stream's whole length; the pool then adds at most 256 spare threads beyond its parallelism
 * (2 in tests, set by surefire, as on a 3-core node), so more streams than that queue up.
 */
class ConcurrentModelStreamsTest {
    private static final int STREAMS = 300;

    @Test
    void everySlowStreamDeliversItsFirstTokenWhileTheOthersAreStillGenerating() throws Exception {
        try (OpenAiTestServer server = new OpenAiTestServer();
             ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor()) {
            List<OpenAiTestServer.HeldCall> slowStreams = new ArrayList<>();
            for (int call = 1; call <= STREAMS; call++) {
                slowStreams.add(server.holdAfterFirstChunk(call));
                server.enqueue(OpenAiTestServer.text("first then the rest"));
            }
            AgentModel model = new ChatModelFactory(ModelSettings.fromEnvironment(Map.of(
                    "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", server.baseUrl())))
                    .create(new ModelSpec(ModelSpec.Provider.OPENAI, "test-model", null, null));
            StreamingModelCall modelCall = new StreamingModelCall(ModelSettings.fromEnvironment(Map.of()));
            FirstTokens firstTokens = new FirstTokens(STREAMS);

            List<Future<ChatResponse>> answers = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                answers.add(jobs.submit(() -> modelCall.call(model,
                        ChatRequest.builder().messages(UserMessage.from("hi")).build(), firstTokens.listener())));
            }

            boolean allStreaming = firstTokens.await(Duration.ofSeconds(30));
            long stillWaiting = firstTokens.missing();
            slowStreams.forEach(OpenAiTestServer.HeldCall::release);
            assertThat(allStreaming).as("streams still without their first token: " + stillWaiting).isTrue();
            for (Future<ChatResponse> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("first then the rest");
            }
        }
    }
}
