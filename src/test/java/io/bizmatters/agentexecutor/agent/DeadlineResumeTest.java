package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's deadline counts from its first start, across a pod that stops mid-job and the pod that
 * resumes it, and fires while the resumed job waits on its model.
 */
class DeadlineResumeTest {
    private static final int TIMEOUT_SECONDS = 20;
    /** The Writer's second call; its repeat on the resuming pod is the server's next call. */
    private static final int HELD_CALL = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServers.NatsServer natsServer = TestServers.NatsServer.start();
    private final OpenAiTestServer model = new OpenAiTestServer().enqueue(MultiAgentJob.script());
    private final OpenAiTestServer.HeldCall firstPodsCall = model.hold(HELD_CALL);
    private final OpenAiTestServer.HeldCall resumedCall = model.hold(HELD_CALL + 1);
    private final String jobId = SampleJobs.newJobId();

    @AfterEach
    void stopServers() {
        model.close();
        natsServer.stop();
    }

    private RunningService startPod() {
        return RunningService.start(Map.of("NATS_URL", natsServer.url(), "SHUTDOWN_GRACE_SECONDS", "1", "POSTGRES_POOL_SIZE", "5",
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create);
    }

    @Test
    void theDeadlineOfAResumedJobCountsFromItsFirstStartAndStopsItsModelCall() throws Exception {
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url());
             ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            RunningService stopping = startPod();
            long published = System.nanoTime();
            client.jetStream().publish("agent.execute.test", MultiAgentJob.withLimits(jobId,
                    "{\"timeout_seconds\": " + TIMEOUT_SECONDS + "}").getBytes(StandardCharsets.UTF_8));
            firstPodsCall.awaitArrival();
            try (RunningService resuming = startPod()) {
                // Half the time is gone on the first pod: a clock restarted by the resume would run past the deadline.
                Thread.sleep(Math.max(0, Duration.ofSeconds(TIMEOUT_SECONDS / 2).toMillis() - (System.nanoTime() - published) / 1_000_000));
                stopping.close();
                resumedCall.awaitArrival();

                StatusEvents.Received failed = status.awaitFor(jobId);
                assertThat(failed.subject()).isEqualTo("agent.status.failed");
                assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("Timeout");
                assertThat(failed.event().at("/data/error/message").asText())
                        .isEqualTo("timeout_seconds 20 reached: the job has run for 20 s since its first start");
                List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
                assertThat(events.getLast().data().path("type").asText()).isEqualTo("Timeout");
                assertThat(events).noneMatch(e -> e.is("end"));

                JsonNode row = JSON.readTree(resuming.get("/jobs/" + jobId).body());
                assertThat(row.path("status").asText()).isEqualTo("failed");
                assertThat(row.path("attempts").asInt()).isEqualTo(2);
                OffsetDateTime firstStart = OffsetDateTime.parse(row.path("created_at").asText());
                OffsetDateTime resumed = OffsetDateTime.parse(row.path("started_at").asText());
                OffsetDateTime finished = OffsetDateTime.parse(row.path("finished_at").asText());
                assertThat(Duration.between(firstStart, finished)).isGreaterThanOrEqualTo(Duration.ofSeconds(TIMEOUT_SECONDS));
                assertThat(Duration.between(resumed, finished)).as("the resume did not restart the clock")
                        .isLessThan(Duration.ofSeconds(TIMEOUT_SECONDS));
                WorkerConsumer.awaitNothingPending(client);
                assertThat(status.forJob(jobId)).hasSize(1);
            }
        }
        assertThat(model.calls()).as("no call after the one the deadline stopped").isEqualTo(HELD_CALL + 1);
    }

}
