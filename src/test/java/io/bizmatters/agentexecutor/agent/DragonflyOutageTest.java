package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.RedisServerProcess;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dragonfly goes away in the middle of a job: only the stream suffers, the job completes. */
class DragonflyOutageTest {
    /** The Researcher's first call: the stream has carried events by then, the job has most of its work ahead. */
    private static final int HELD_CALL = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJobCompletesThroughADragonflyOutageAndTheLostEventsAreCounted() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (RedisServerProcess dragonfly = RedisServerProcess.onFreePort().start();
             OpenAiTestServer model = new OpenAiTestServer();
             RunningService service = RunningService.start(Map.of("DRAGONFLY_PORT", Integer.toString(dragonfly.port()),
                     "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create);
             StatusEvents status = StatusEvents.listen(TestServers.natsUrl())) {
            model.enqueue(MultiAgentJob.script());
            OpenAiTestServer.HeldCall held = model.hold(HELD_CALL);
            CompletableFuture<HttpResponse<String>> answer;
            try (ChannelSubscriber stream = ChannelSubscriber.subscribe(dragonfly.port(), "langgraph:stream:" + jobId)) {
                answer = CompletableFuture.supplyAsync(() ->
                        service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json"));
                held.awaitArrival();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        StreamedEvent.of(stream).stream().anyMatch(e -> e.is("on_tool_start")));
            }
            assertThat(service.metricSum("agent_executor_redis_publish_errors_total")).as("streaming worked").isZero();

            dragonfly.kill();
            held.release();

            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).at("/result/output").asText()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
            assertThat(status.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
            assertThat(model.calls()).isEqualTo(MultiAgentJob.MODEL_CALLS);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> service.metricSum("agent_executor_redis_publish_errors_total") > 0);
            assertThat(service.get("/ready").body()).contains("\"dragonfly\":false");
        }
    }
}
