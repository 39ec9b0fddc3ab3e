package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.testsupport.CountingRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Jobs arriving on agent.execute.*: result events, and how each message is settled. */
class JetStreamIngressTest {
    private static final CountingRunner runner = new CountingRunner();
    private static RunningService service;
    private static StatusEvents events;
    private static Connection client;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(runner);
        events = StatusEvents.listen(TestServers.natsUrl());
        client = Nats.connect(TestServers.natsUrl());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        events.close();
        service.close();
    }

    @Test
    void aJobPublishedOnNatsCompletesAndItsMessageIsAcked() throws Exception {
        String jobId = SampleJobs.newJobId();

        PublishAck published = publish(SampleJobs.structuredCloudEvent(jobId, "trace-1"));

        StatusEvents.Received completed = events.awaitFor(jobId);
        assertThat(completed.subject()).isEqualTo("agent.status.completed");
        assertThat(completed.event().at("/data/result/output").asText()).isEqualTo(CountingRunner.OUTPUT);
        WorkerConsumer.awaitSettled(client, published.getSeqno());
        assertThat(runner.runsOf(jobId)).isEqualTo(1);
    }

    @Test
    void bareJobExecutionEventDataIsAcceptedToo() throws Exception {
        String jobId = SampleJobs.newJobId();

        publish(SampleJobs.jobExecutionEvent(jobId, "trace-2"));

        assertThat(events.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
    }

    @Test
    void binaryModeOverNatsHeadersIsAcceptedToo() throws Exception {
        String jobId = SampleJobs.newJobId();
        Headers headers = new Headers().put("ce-specversion", "1.0").put("ce-id", "42")
                .put("ce-type", "dev.my-platform.agent.execute").put("ce-source", "nats://agent.execute.test");

        client.jetStream().publish(NatsMessage.builder().subject("agent.execute.test").headers(headers)
                .data(SampleJobs.jobExecutionEvent(jobId, "trace-4").getBytes(StandardCharsets.UTF_8)).build());

        assertThat(events.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
    }

    @Test
    void anUnreadableMessageGetsAFailedEventForJobUnknownAndIsTerminated() throws Exception {
        int unknownBefore = events.forJob("unknown").size();

        PublishAck published = publish("this is not JSON");

        await().atMost(Duration.ofSeconds(30)).until(() -> events.forJob("unknown").size() > unknownBefore);
        StatusEvents.Received failed = events.forJob("unknown").get(unknownBefore);
        assertThat(failed.subject()).isEqualTo("agent.status.failed");
        assertThat(failed.event().at("/data/job_id").asText()).isEqualTo("unknown");
        assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("BadInput");
        WorkerConsumer.awaitSettled(client, published.getSeqno());
    }

    @Test
    void anInvalidJobGetsAFailedEventNamingItsJobAndIsTerminated() throws Exception {
        String jobId = SampleJobs.newJobId();

        PublishAck published = publish("{\"job_id\": \"" + jobId + "\", \"trace_id\": \"t\", \"agent_definition\": {}}");

        StatusEvents.Received failed = events.awaitFor(jobId);
        assertThat(failed.subject()).isEqualTo("agent.status.failed");
        assertThat(failed.event().at("/data/job_id").asText()).isEqualTo(jobId);
        assertThat(failed.event().at("/data/error/message").asText()).contains("data.agent_definition");
        WorkerConsumer.awaitSettled(client, published.getSeqno());
        assertThat(runner.runsOf(jobId)).isZero();
        assertThat(events.forJob(jobId)).hasSize(1);
    }

    @Test
    void anInfrastructureFaultNaksTheMessageWhichIsRedeliveredAfterTheDelayAndCompletes() throws Exception {
        String jobId = CountingRunner.FLAKY_PREFIX + SampleJobs.newJobId();

        publish(SampleJobs.structuredCloudEvent(jobId, "trace-3"));

        await().atMost(Duration.ofSeconds(60)).until(() -> !events.forJob(jobId).isEmpty());
        assertThat(events.forJob(jobId)).singleElement()
                .satisfies(event -> assertThat(event.subject()).isEqualTo("agent.status.completed"));
        assertThat(runner.runsOf(jobId)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.jetStreamManagement()
                .getConsumerInfo(WorkerConsumer.STREAM, WorkerConsumer.CONSUMER).getNumAckPending()).isZero());
    }

    private static PublishAck publish(String body) throws Exception {
        return client.jetStream().publish("agent.execute.test", body.getBytes(StandardCharsets.UTF_8));
    }
}
