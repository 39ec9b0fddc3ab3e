package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An outage on a message's last delivery is reported as a failed job instead of a nak the server would drop. */
class LastDeliveryTest {

    @Test
    void anInfrastructureFaultOnTheLastDeliveryPublishesAFailedEventAndTerminates() throws Exception {
        TestServers.NatsServer nats = TestServers.NatsServer.start();
        String jobId = SampleJobs.newJobId();
        try (Connection client = Nats.connect(nats.url())) {
            client.jetStreamManagement().addStream(JetStreamTopology.stream("AGENT_EXECUTION", "agent.execute.*"));
            client.jetStreamManagement().addOrUpdateConsumer("AGENT_EXECUTION",
                    ConsumerConfiguration.builder(JetStreamTopology.workers("agent-executor-workers", "agent.execute.*"))
                            .maxDeliver(1).build());
            try (RunningService service = RunningService.start(Map.of("NATS_URL", nats.url()), infrastructure -> job -> {
                throw new InfrastructureFault("postgres", "connection refused", null);
            }); StatusEvents events = StatusEvents.listen(nats.url())) {
                client.jetStream().publish("agent.execute.test",
                        SampleJobs.structuredCloudEvent(jobId, "trace").getBytes(StandardCharsets.UTF_8));

                StatusEvents.Received failed = events.awaitFor(jobId);
                assertThat(failed.subject()).isEqualTo("agent.status.failed");
                assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("InfrastructureFault");
                assertThat(failed.event().at("/data/error/message").asText()).contains("last delivery", "postgres is unavailable");
                assertThat(failed.event().at("/data/error/stack_trace").asText()).contains("connection refused");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    ConsumerInfo info = client.jetStreamManagement().getConsumerInfo("AGENT_EXECUTION", "agent-executor-workers");
                    assertThat(info.getNumAckPending()).isZero();
                    assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(1);
                });
                // The row ends failed, so a later delivery of the job republishes this failure instead of running it.
                assertThat(service.get("/jobs/" + jobId).body()).contains("\"status\" : \"failed\"", "last delivery");
            }
        } finally {
            nats.close();
        }
    }
}
