package io.bizmatters.agentexecutor.bench;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.bizmatters.agentexecutor.agent.definition.ModelSpec;
import io.bizmatters.agentexecutor.agent.models.AgentModel;
import io.bizmatters.agentexecutor.agent.models.ChatModelFactory;
import io.bizmatters.agentexecutor.agent.models.ModelSettings;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;
import io.bizmatters.agentexecutor.testsupport.FirstTokens;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * How many slow model streams one JVM reads at once: CALLS streaming calls through the real
 * OpenAI client, each answered by a model that sends its first token and then keeps generating
 * until every call has either started streaming or waited SETTLE seconds more for its first
 * token. Prints how many were streaming at once and the JVM's peak platform threads. Run with
 * scripts/bench/model-streams.sh; not a test.
 */
public final class ModelStreamsBench {
    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(System.getProperty("calls", "2000"));
        Duration settle = Duration.ofSeconds(Long.parseLong(System.getProperty("settle", "10")));
        try (OpenAiTestServer server = new OpenAiTestServer();
             ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor()) {
            List<OpenAiTestServer.HeldCall> slowStreams = new ArrayList<>();
            for (int call = 1; call <= calls; call++) {
                slowStreams.add(server.holdAfterFirstChunk(call));
                server.enqueue(OpenAiTestServer.text("first then the rest"));
            }
            AgentModel model = new ChatModelFactory(ModelSettings.fromEnvironment(Map.of(
                    "OPENAI_API_KEY", "bench-key", "OPENAI_BASE_URL", server.baseUrl())))
                    .create(new ModelSpec(ModelSpec.Provider.OPENAI, "bench-model", null, null));
            StreamingModelCall modelCall = new StreamingModelCall(ModelSettings.fromEnvironment(Map.of()));
            FirstTokens firstTokens = new FirstTokens(calls);
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).build();

            long started = System.nanoTime();
            List<Future<?>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(jobs.submit(() -> modelCall.call(model, request, firstTokens.listener())));
            }
            firstTokens.awaitAllOrNoProgressFor(settle);
            int streamingAtOnce = calls - (int) firstTokens.missing();
            double toStreaming = (System.nanoTime() - started) / 1e9;
            slowStreams.forEach(OpenAiTestServer.HeldCall::release);
            for (Future<?> answer : answers) {
                answer.get();
            }
            System.out.printf("BENCH calls=%d streamingAtOnce=%d secondsUntilThen=%.1f wall=%.1fs "
                            + "peakPlatformThreads=%d commonPoolParallelism=%d%n",
                    calls, streamingAtOnce, toStreaming, (System.nanoTime() - started) / 1e9,
                    ManagementFactory.getThreadMXBean().getPeakThreadCount(), ForkJoinPool.getCommonPoolParallelism());
        }
        System.exit(0);
    }
}
