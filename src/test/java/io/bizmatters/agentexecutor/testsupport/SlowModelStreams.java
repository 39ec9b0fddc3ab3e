package io.bizmatters.agentexecutor.testsupport;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.bizmatters.agentexecutor.agent.definition.ModelSpec;
import io.bizmatters.agentexecutor.agent.models.AgentModel;
import io.bizmatters.agentexecutor.agent.models.ChatModelFactory;
import io.bizmatters.agentexecutor.agent.models.ModelSettings;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Concurrent jobs' model calls to slow models: each call runs on a virtual thread of its own, as
 * a job does, through the service's own OpenAI model and {@link StreamingModelCall}, and is
 * answered by an {@link OpenAiTestServer} that streams the first token and then keeps generating
 * until {@link #release() released}.
 */
public final class SlowModelStreams implements AutoCloseable {
    public static final String ANSWER = "first then the rest";

    private final OpenAiTestServer server = new OpenAiTestServer();
    private final List<OpenAiTestServer.HeldCall> heldCalls = new ArrayList<>();
    private final List<Thread> jobs = new ArrayList<>();
    private final List<CompletableFuture<ChatResponse>> answers = new ArrayList<>();
    private final CountDownLatch withoutFirstToken;

    private SlowModelStreams(int calls) {
        withoutFirstToken = new CountDownLatch(calls);
        for (int call = 1; call <= calls; call++) {
            heldCalls.add(server.holdAfterFirstChunk(call));
            server.enqueue(OpenAiTestServer.text(ANSWER));
        }
    }

    public static SlowModelStreams start(int calls) {
        SlowModelStreams streams = new SlowModelStreams(calls);
        AgentModel model = new ChatModelFactory(ModelSettings.fromEnvironment(Map.of(
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", streams.server.baseUrl())))
                .create(new ModelSpec(ModelSpec.Provider.OPENAI, "test-model", null, null));
        StreamingModelCall modelCall = new StreamingModelCall(ModelSettings.fromEnvironment(Map.of()));
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).build();
        for (int i = 0; i < calls; i++) {
            CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
            streams.answers.add(answer);
            streams.jobs.add(Thread.ofVirtual().start(() -> {
                try {
                    answer.complete(modelCall.call(model, request, streams.firstTokenCounter()));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            }));
        }
        return streams;
    }

    /** @return whether every call received its first token within {@code wait} */
    public boolean awaitAllStreaming(Duration wait) throws InterruptedException {
        return withoutFirstToken.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until every call streams, or until no further call started streaming for {@code quiet}. */
    public void awaitAllStreamingOrNoProgressFor(Duration quiet) throws InterruptedException {
        for (long before = Long.MAX_VALUE; withoutFirstToken.getCount() < before; ) {
            before = withoutFirstToken.getCount();
            if (awaitAllStreaming(quiet)) {
                return;
            }
        }
    }

    /** Calls that received their first token. */
    public int streaming() {
        return answers.size() - (int) withoutFirstToken.getCount();
    }

    /** Lets every model finish its answer. */
    public void release() {
        heldCalls.forEach(OpenAiTestServer.HeldCall::release);
    }

    /** Interrupts every job's thread, as a shutdown does. */
    public void interruptJobs() {
        jobs.forEach(Thread::interrupt);
    }

    public List<CompletableFuture<ChatResponse>> answers() {
        return answers;
    }

    private StreamingModelCall.Listener firstTokenCounter() {
        return new StreamingModelCall.Listener() {
            private boolean counted;

            @Override
            public void token(String text) {
                if (!counted) {
                    counted = true;
                    withoutFirstToken.countDown();
                }
            }

            @Override
            public void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk) {
            }
        };
    }

    @Override
    public void close() {
        server.close();
    }
}
