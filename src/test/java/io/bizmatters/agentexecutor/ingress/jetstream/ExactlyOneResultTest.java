package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.testsupport.ResultStream;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14's duplicate results around NATS restarts, on a private NATS server: exactly one result
 * event per job in AGENT_STATUS, whatever JetStream redelivers and whatever the client's reconnect
 * buffer sends late; one more only for a new submission of a finished job.
 */
class ExactlyOneResultTest {
    private TestServers.NatsServer nats;
    private Connection client;
    private RunningService service;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean gated;
    private volatile boolean parking;

    @BeforeEach
    void start() throws Exception {
        nats = TestServers.NatsServer.start();
        client = Nats.connect(Options.builder().server(nats.url()).maxReconnects(-1).build());
        AgentRunner runner = job -> {
            runs.computeIfAbsent(job.jobId(), id -> new AtomicInteger()).incrementAndGet();
            if (gated) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return parking ? AgentOutcome.waitingFor(List.of(new Interrupt("call-" + job.jobId(), "orchestrator", "deploy", "{}",
                    List.of(Decision.Type.APPROVE, Decision.Type.REJECT), "a person decides")), List.of(), List.of())
                    : new AgentOutcome("once", List.of());
        };
        service = RunningService.start(Map.of("NATS_URL", nats.url()), infrastructure -> runner);
    }

    @AfterEach
    void stop() throws InterruptedException {
        gate.countDown();
        service.close();
        client.close();
        nats.stop();
    }

    @Test
    void redeliveriesWithDeliveryCountOneAfterAConsumerRollbackPublishNoSecondResult() throws Exception {
        String jobId = SampleJobs.newJobId();
        PublishAck first = publish(jobId);
        WorkerConsumer.awaitSettled(client, first.getSeqno());
        PublishAck resubmitted = publish(jobId);
        WorkerConsumer.awaitSettled(client, resubmitted.getSeqno());
        assertThat(ResultStream.eventsFor(client, jobId)).as("the run's result, and one for the new submission").hasSize(2);

        // What a nats-server crash that lost the consumer's state does: every message comes again, delivery count 1.
        rollBackTheConsumerAndAwaitItsRedeliveries(jobId, resubmitted);
    }

    /** A parked job's interrupted event follows the same rules as a result: once per parking, once more per new submission. */
    @Test
    void aParkedJobsRedeliveriesAfterAConsumerRollbackPublishNoSecondInterruptedEvent() throws Exception {
        parking = true;
        String jobId = SampleJobs.newJobId();
        PublishAck first = publish(jobId);
        WorkerConsumer.awaitSettled(client, first.getSeqno());
        assertThat(ResultStream.eventsFor(client, jobId)).singleElement()
                .satisfies(event -> assertThat(event.at("/data/interrupts/0/tool_call_id").asText()).isEqualTo("call-" + jobId));
        PublishAck resubmitted = publish(jobId);
        WorkerConsumer.awaitSettled(client, resubmitted.getSeqno());
        assertThat(ResultStream.eventsFor(client, jobId)).as("the parking's event, and one for the new submission").hasSize(2)
                .allSatisfy(event -> assertThat(event.path("type").asText()).isEqualTo(ResultEvents.INTERRUPTED_TYPE));

        rollBackTheConsumerAndAwaitItsRedeliveries(jobId, resubmitted);
    }

    /** Drops and recreates the consumer, so both of the job's messages come again, and checks they end in nothing new. */
    private void rollBackTheConsumerAndAwaitItsRedeliveries(String jobId, PublishAck resubmitted) throws Exception {
        JetStreamManagement management = client.jetStreamManagement();
        management.deleteConsumer(WorkerConsumer.STREAM, WorkerConsumer.CONSUMER);
        management.addOrUpdateConsumer(WorkerConsumer.STREAM, JetStreamTopology.workers(WorkerConsumer.CONSUMER, "agent.execute.*"));

        WorkerConsumer.awaitSettled(client, resubmitted.getSeqno());
        assertThat(management.getConsumerInfo(WorkerConsumer.STREAM, WorkerConsumer.CONSUMER).getDelivered().getStreamSequence())
                .as("both messages were delivered again").isEqualTo(resubmitted.getSeqno());
        assertThat(ResultStream.eventsFor(client, jobId)).hasSize(2);
        assertThat(runs.get(jobId).get()).isEqualTo(1);
    }

    @Test
    void aResultPublishThatTimedOutWhileNatsWasDownAndWasSentLaterIsStoredOnce() throws Exception {
        gated = true;
        String jobId = SampleJobs.newJobId();
        PublishAck published = publish(jobId);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.containsKey(jobId));
        double naksBefore = service.metricSum("agent_executor_nats_messages_failed_total");

        nats.stop();
        gate.countDown();
        // The publish waits in jnats's reconnect buffer and times out: the message is naked (buffered too).
        await().atMost(Duration.ofSeconds(30)).until(() -> service.metricSum("agent_executor_nats_messages_failed_total") > naksBefore);
        nats.restart();

        // The buffered copy goes out on reconnect; the redelivery after the nak delay publishes the stored result again.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client.jetStreamManagement()
                .getConsumerInfo(WorkerConsumer.STREAM, WorkerConsumer.CONSUMER).getDelivered().getConsumerSequence())
                .as("deliveries").isGreaterThanOrEqualTo(2));
        WorkerConsumer.awaitSettled(client, published.getSeqno());
        assertThat(ResultStream.eventsFor(client, jobId)).singleElement()
                .satisfies(event -> assertThat(event.at("/data/result/output").asText()).isEqualTo("once"));
        assertThat(runs.get(jobId).get()).isEqualTo(1);
    }

    private PublishAck publish(String jobId) throws Exception {
        return client.jetStream().publish("agent.execute.test",
                SampleJobs.structuredCloudEvent(jobId, "trace").getBytes(StandardCharsets.UTF_8));
    }
}
