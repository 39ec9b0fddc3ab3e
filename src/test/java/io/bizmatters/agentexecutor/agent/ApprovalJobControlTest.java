package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.ScriptedService;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import static io.bizmatters.agentexecutor.agent.ApprovalJob.approve;
import static io.bizmatters.agentexecutor.agent.ApprovalJob.decisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * Where approvals (docs/approvals.md) meet job control (docs/job-control.md), through the whole
 * service: a parked job is cancelled over HTTP DELETE and over NATS, once, and a resume then finds
 * it cancelled; the time a job waits for a person does not count against its deadline.
 */
class ApprovalJobControlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REASON = "the reviewer withdrew the request";

    private static ScriptedService started;
    private static OpenAiTestServer model;
    private static RunningService service;
    private static StatusEvents status;
    private static Connection nats;

    @BeforeAll
    static void start() throws Exception {
        started = ScriptedService.start();
        model = started.model();
        service = started.service();
        status = started.status();
        nats = started.nats();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        started.close();
    }

    @Test
    void aParkedJobCancelledOverHttpFailsOnceAsCancelledAndCannotBeResumed() throws Exception {
        String jobId = SampleJobs.newJobId();
        double cancelled = JobCancelTest.cancelledJobs(service);
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            park(jobId);
            int callsWhenParked = model.calls();

            HttpResponse<String> cancel = service.delete("/jobs/" + jobId, "{\"reason\": \"" + REASON + "\"}");

            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            assertThat(JSON.readTree(cancel.body()).path("status").asText()).isEqualTo("cancelled");
            assertCancelledOnce(jobId, stream);
            HttpResponse<String> resume = service.postTo("/jobs/" + jobId + "/resume", decisions(jobId, approve("w1")));
            assertThat(resume.statusCode()).as(resume.body()).isEqualTo(409);
            assertThat(JSON.readTree(resume.body()).path("detail").asText()).contains("is cancelled, not waiting for decisions");
            assertThat(model.calls()).as("nothing ran after the cancel").isEqualTo(callsWhenParked);
        }
        assertThat(JobCancelTest.cancelledJobs(service) - cancelled).isEqualTo(1);
        JsonNode row = row(jobId);
        assertThat(row.path("status").asText()).isEqualTo("cancelled");
        assertThat(row.path("cancel_reason").asText()).isEqualTo(REASON);
        assertThat(row.path("error").path("type").asText()).isEqualTo("Cancelled");
        assertThat(row.path("parked_seconds").asDouble()).isPositive();
        assertThat(row.path("interrupts").isNull()).as("a cancelled job waits on nothing").isTrue();
    }

    @Test
    void aParkedJobCancelledOverNatsFailsOnceAsCancelledAndAResumeOverNatsRunsNothing() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            model.enqueue(untilParked());
            PublishAck job = publish(ApprovalJob.cloudEvent(jobId));
            ApprovalServiceTest.awaitStatus(status, jobId, "agent.status.interrupted");
            WorkerConsumer.awaitSettled(nats, job.getSeqno());
            int callsWhenParked = model.calls();

            PublishAck cancel = publish(JobCancelTest.cancelEvent(jobId, REASON));

            WorkerConsumer.awaitSettled(nats, cancel.getSeqno());
            assertCancelledOnce(jobId, stream);
            PublishAck resume = publish(ApprovalJob.resumeEvent(jobId, approve("w1")));
            WorkerConsumer.awaitSettled(nats, resume.getSeqno());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> status.forJob(jobId).size() == 2);
            assertThat(model.calls()).as("the resume ran nothing").isEqualTo(callsWhenParked);
        }
        assertThat(row(jobId).path("status").asText()).isEqualTo("cancelled");
    }

    /** Parked for longer than its whole timeout, the job still finishes: waiting for a person is not running. */
    @Test
    void timeSpentParkedDoesNotCountAgainstTheJobsDeadline() throws Exception {
        int timeoutSeconds = 5;
        String jobId = SampleJobs.newJobId();
        model.enqueue(ApprovalJob.oneInterrupt());
        ObjectNode event = (ObjectNode) JSON.readTree(ApprovalJob.cloudEvent(jobId));
        ((ObjectNode) event.get("data")).putObject("limits").put("timeout_seconds", timeoutSeconds);
        HttpResponse<String> parked = service.post(event.toString(), "Content-Type", "application/cloudevents+json");
        assertThat(parked.statusCode()).as(parked.body()).isEqualTo(202);
        OffsetDateTime firstDeadline = OffsetDateTime.parse(row(jobId).path("deadline_at").asText());

        Thread.sleep(Duration.ofSeconds(timeoutSeconds + 2).toMillis());
        HttpResponse<String> done = service.postTo("/jobs/" + jobId + "/resume", decisions(jobId, approve("w1")));

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).at("/result/output").asText()).isEqualTo(ApprovalJob.FINAL_ANSWER);
        assertThat(ApprovalServiceTest.awaitStatus(status, jobId, "agent.status.completed")).isNotNull();
        JsonNode row = row(jobId);
        assertThat(row.path("status").asText()).isEqualTo("completed");
        double parkedSeconds = row.path("parked_seconds").asDouble();
        assertThat(parkedSeconds).isGreaterThanOrEqualTo(timeoutSeconds + 2);
        Duration moved = Duration.between(firstDeadline, OffsetDateTime.parse(row.path("deadline_at").asText()));
        assertThat(moved.toMillis() / 1000.0).as("the deadline moved on by the time parked")
                .isCloseTo(parkedSeconds, offset(0.01));
    }

    /** The model's first reply alone: a cancelled job never asks for its answer, which would be left for the next test. */
    private static OpenAiTestServer.Reply[] untilParked() {
        return Arrays.copyOf(ApprovalJob.oneInterrupt(), 1);
    }

    private void park(String jobId) throws Exception {
        model.enqueue(untilParked());
        HttpResponse<String> parked = service.post(ApprovalJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json");
        assertThat(parked.statusCode()).as(parked.body()).isEqualTo(202);
        ApprovalServiceTest.awaitStatus(status, jobId, "agent.status.interrupted");
    }

    /** After the interrupted event, one failed event of type Cancelled; the stream's last event is the Cancelled error. */
    private static void assertCancelledOnce(String jobId, ChannelSubscriber stream) {
        StatusEvents.Received failed = ApprovalServiceTest.awaitStatus(status, jobId, "agent.status.failed");
        assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("Cancelled");
        assertThat(failed.event().at("/data/error/message").asText()).isEqualTo(REASON);
        assertThat(failed.event().at("/data/job_id").asText()).isEqualTo(jobId);
        List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
        assertThat(events).extracting(StreamedEvent::type).containsSubsequence("interrupt", "error");
        assertThat(events.getLast().data().path("type").asText()).isEqualTo("Cancelled");
        assertThat(events.getLast().data().path("error").asText()).isEqualTo(REASON);
        assertThat(events).noneMatch(e -> e.is("end"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> status.forJob(jobId).size() == 2 && StreamedEvent.of(stream).size() == events.size());
        assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                .containsExactly("agent.status.interrupted", "agent.status.failed");
    }

    private static PublishAck publish(String event) throws Exception {
        return nats.jetStream().publish("agent.execute.test", event.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode row(String jobId) throws Exception {
        return JSON.readTree(service.get("/jobs/" + jobId).body());
    }
}
