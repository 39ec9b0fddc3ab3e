package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs that outlast AckWait, on a private NATS server whose consumer was created beforehand with a
 * 3 s AckWait: in-progress acks keep the message from being redelivered, the existing consumer is
 * left as it was, and stopping the service waits for the running job before acking it.
 */
class LongJobTest {
    private static final Duration SHORT_ACK_WAIT = Duration.ofSeconds(3);
    private static final Duration JOB_TIME = Duration.ofSeconds(8);

    private TestServers.NatsServer nats;
    private Connection client;
    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch jobStarted = new CountDownLatch(1);

    @BeforeEach
    void natsWithAShortAckWaitConsumer() throws Exception {
        nats = TestServers.NatsServer.start();
        client = Nats.connect(nats.url());
        JetStreamManagement management = client.jetStreamManagement();
        management.addStream(JetStreamTopology.stream("AGENT_EXECUTION", "agent.execute.*"));
        management.addOrUpdateConsumer("AGENT_EXECUTION", ConsumerConfiguration.builder()
                .durable("agent-executor-workers").ackPolicy(AckPolicy.Explicit)
                .filterSubject("agent.execute.*").ackWait(SHORT_ACK_WAIT).build());
    }

    @AfterEach
    void stopNats() throws InterruptedException {
        client.close();
        nats.close();
    }

    @Test
    void inProgressAcksKeepALongJobFromBeingRedelivered() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (RunningService service = start(); StatusEvents events = StatusEvents.listen(nats.url())) {
            publish(jobId);

            assertThat(events.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
            awaitNothingPending();
        }
        assertThat(runs.get()).isEqualTo(1);
        ConsumerInfo consumer = client.jetStreamManagement().getConsumerInfo("AGENT_EXECUTION", "agent-executor-workers");
        assertThat(consumer.getConsumerConfiguration().getAckWait()).as("existing consumer not rewritten").isEqualTo(SHORT_ACK_WAIT);
        assertThat(consumer.getDelivered().getStreamSequence()).as("delivered once").isEqualTo(1);
    }

    @Test
    void stoppingTheServiceLetsTheRunningJobFinishAndAcksIt() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (StatusEvents events = StatusEvents.listen(nats.url())) {
            RunningService service = start();
            publish(jobId);
            jobStarted.await();

            service.close();

            assertThat(events.forJob(jobId)).singleElement()
                    .satisfies(event -> assertThat(event.subject()).isEqualTo("agent.status.completed"));
        }
        awaitNothingPending();
        assertThat(runs.get()).isEqualTo(1);
    }

    private RunningService start() {
        AgentRunner slow = job -> {
            runs.incrementAndGet();
            jobStarted.countDown();
            try {
                Thread.sleep(JOB_TIME);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AgentOutcome("slow output", List.of());
        };
        return RunningService.start(Map.of("NATS_URL", nats.url()), infrastructure -> slow);
    }

    private void publish(String jobId) throws Exception {
        client.jetStream().publish("agent.execute.test",
                SampleJobs.structuredCloudEvent(jobId, "trace").getBytes(StandardCharsets.UTF_8));
    }

    private void awaitNothingPending() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConsumerInfo info = client.jetStreamManagement().getConsumerInfo("AGENT_EXECUTION", "agent-executor-workers");
            assertThat(info.getNumAckPending()).isZero();
            assertThat(info.getNumPending()).isZero();
        });
    }
}
