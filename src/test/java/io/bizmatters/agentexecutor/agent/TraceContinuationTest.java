package io.bizmatters.agentexecutor.agent;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.OtlpReceiver;
import io.bizmatters.agentexecutor.testsupport.OtlpReceiver.ReceivedSpan;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pod stops while its job waits on the model; the job resumes on a new pod. Both deliveries are
 * spans of the job's one trace, and the resumed delivery links to the one that was cut off.
 */
class TraceContinuationTest {
    private static final int HELD_CALL = 6;

    private final TestServers.NatsServer natsServer = TestServers.NatsServer.start();
    private final OpenAiTestServer model = new OpenAiTestServer().enqueue(MultiAgentJob.script());
    private final OpenAiTestServer.HeldCall held = model.hold(HELD_CALL);
    private final OtlpReceiver collector = new OtlpReceiver();
    private final String jobId = SampleJobs.newJobId();

    @AfterEach
    void stopServers() {
        collector.close();
        model.close();
        natsServer.stop();
    }

    private RunningService startInstance() {
        Map<String, String> environment = new HashMap<>(collector.environment());
        environment.putAll(Map.of("NATS_URL", natsServer.url(), "SHUTDOWN_GRACE_SECONDS", "1",
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()));
        return RunningService.start(environment, EngineAssembly::create);
    }

    @Test
    void aResumedJobContinuesItsTraceWithADeliveryLinkedToTheCutOffOne() throws Exception {
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url())) {
            RunningService crashing = startInstance();
            client.jetStream().publish("agent.execute.test", MultiAgentJob.cloudEvent(jobId).getBytes(StandardCharsets.UTF_8));
            held.awaitArrival();
            crashing.close();
            try (RunningService resuming = startInstance()) {
                assertThat(status.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
            }
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries().size() == 2);
        List<ReceivedSpan> deliveries = deliveries();
        ReceivedSpan cutOff = deliveries.stream().filter(d -> !d.linkedSpanIds().contains(otherOf(d, deliveries).spanId()))
                .findFirst().orElseThrow();
        ReceivedSpan resumed = otherOf(cutOff, deliveries);
        assertThat(resumed.traceId()).as("one trace for the job").isEqualTo(cutOff.traceId());
        assertThat(resumed.linkedSpanIds()).containsExactly(cutOff.spanId());
        assertThat(cutOff.attributes()).containsEntry("agent_executor.job.status", "retried");
        assertThat(resumed.attributes()).containsEntry("agent_executor.job.status", "completed");

        List<ReceivedSpan> chats = collector.spans(span -> span.traceId().equals(cutOff.traceId()) && span.name().startsWith("chat "));
        List<ReceivedSpan> runs = collector.spans(span -> span.name().equals("invoke_agent") && span.traceId().equals(cutOff.traceId()));
        assertThat(runs).extracting(ReceivedSpan::parentSpanId).containsExactlyInAnyOrder(cutOff.spanId(), resumed.spanId());
        assertThat(chats).as("5 answered and the cut-off call before the stop, 2 after the resume").hasSize(MultiAgentJob.MODEL_CALLS + 1);
        assertThat(chats).filteredOn(ReceivedSpan::error).hasSize(1);
    }

    private List<ReceivedSpan> deliveries() {
        return collector.spans(span -> span.name().equals("process agent.execute.test")
                && jobId.equals(span.attribute("agent_executor.job.id")));
    }

    private static ReceivedSpan otherOf(ReceivedSpan delivery, List<ReceivedSpan> deliveries) {
        return deliveries.stream().filter(d -> d != delivery).findFirst().orElseThrow();
    }
}
