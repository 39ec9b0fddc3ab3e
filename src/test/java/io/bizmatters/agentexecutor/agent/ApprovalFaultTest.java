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
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.bizmatters.agentexecutor.agent.ApprovalJob.approve;
import static io.bizmatters.agentexecutor.agent.ApprovalJob.decisions;
import static io.bizmatters.agentexecutor.agent.ApprovalServiceTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parked jobs across pods and faults: nothing of a parked job stays on the pod that parked it; a
 * pod killed just after parking or just after a resume leaves one result and no repeated model
 * call; a job nobody decides expires.
 */
class ApprovalFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServers.NatsServer natsServer = TestServers.NatsServer.start();
    private final OpenAiTestServer model = new OpenAiTestServer();
    private final String jobId = SampleJobs.newJobId();

    @AfterEach
    void stopServers() {
        model.close();
        natsServer.close();
    }

    /** A pod on the shared servers; a grace of 1 s lets it hand a stuck job back quickly. */
    private RunningService pod(String... environment) {
        Map<String, String> env = new HashMap<>(Map.of("NATS_URL", natsServer.url(), "SHUTDOWN_GRACE_SECONDS", "1",
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()));
        for (int i = 0; i < environment.length; i += 2) {
            env.put(environment[i], environment[i + 1]);
        }
        return RunningService.start(env, EngineAssembly::create);
    }

    @Test
    void aJobParkedOnOnePodIsResumedOnAnotherOnceTheFirstIsGone() throws Exception {
        model.enqueue(ApprovalJob.oneInterrupt());
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url())) {
            try (RunningService parking = pod()) {
                PublishAck job = publish(client, ApprovalJob.cloudEvent(jobId));
                awaitStatus(status, jobId, "agent.status.interrupted");
                WorkerConsumer.awaitSettled(client, job.getSeqno());
            }
            try (RunningService resuming = pod()) {
                HttpResponse<String> done = resuming.postTo("/jobs/" + jobId + "/resume", decisions(jobId, approve("w1")));

                assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
                assertThat(JSON.readTree(done.body()).at("/result/output").asText()).isEqualTo(ApprovalJob.FINAL_ANSWER);
            }
            assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                    .containsExactly("agent.status.interrupted", "agent.status.completed");
        }
        assertThat(model.calls()).isEqualTo(2);
    }

    /**
     * The pod died after the checkpoint before the approval, before it recorded the row: the row
     * is still running under a lease that ran out, and JetStream redelivers the job. The next pod
     * parks it again from the checkpoint, without a model call.
     */
    @Test
    void aPodKilledJustAfterParkingLeavesTheJobParkedWithoutARepeatedModelCall() throws Exception {
        model.enqueue(ApprovalJob.oneInterrupt());
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url());
             RunningService pod = pod()) {
            publish(client, ApprovalJob.cloudEvent(jobId));
            awaitStatus(status, jobId, "agent.status.interrupted");
            crashState("UPDATE jobs SET status = 'running', interrupts = NULL, interrupted_at = NULL, agent_definition = NULL, "
                    + "result_published_at = NULL, lease_owner = 'killed-pod', lease_until = now() - interval '1 second' WHERE id = ?");

            PublishAck redelivered = publish(client, ApprovalJob.cloudEvent(jobId));
            WorkerConsumer.awaitSettled(client, redelivered.getSeqno());

            await().atMost(Duration.ofSeconds(10)).until(() -> status.forJob(jobId).size() == 2);
            assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject).containsOnly("agent.status.interrupted");
            assertThat(row(pod).path("status").asText()).isEqualTo("interrupted");
            assertThat(model.calls()).isEqualTo(1);

            assertThat(pod.postTo("/jobs/" + jobId + "/resume", decisions(jobId, approve("w1"))).statusCode()).isEqualTo(200);
            assertThat(status.forJob(jobId)).filteredOn(r -> r.subject().equals("agent.status.completed")).hasSize(1);
        }
        assertThat(model.calls()).isEqualTo(2);
    }

    /**
     * The pod died right after its resume took the row (decisions stored, lease taken) and before
     * the job went on. The resume event comes back; the next pod takes the job over once the
     * lease ran out and runs the approved call once, with the decisions from the row.
     */
    @Test
    void aPodKilledJustAfterTakingAResumeLeavesDecisionsThatRunOnceOnTheNextPod() throws Exception {
        model.enqueue(ApprovalJob.oneInterrupt());
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url());
             RunningService pod = pod();
             ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            publish(client, ApprovalJob.cloudEvent(jobId));
            awaitStatus(status, jobId, "agent.status.interrupted");
            crashState("UPDATE jobs SET status = 'running', decisions = '{\"w1\": {\"type\": \"approve\"}}', resumed_at = now(), "
                    + "lease_owner = 'killed-pod', lease_until = now() - interval '1 second' WHERE id = ?");

            PublishAck redelivered = publish(client, ApprovalJob.resumeEvent(jobId, approve("w1")));

            assertThat(awaitStatus(status, jobId, "agent.status.completed").event().at("/data/result/output").asText())
                    .isEqualTo(ApprovalJob.FINAL_ANSWER);
            WorkerConsumer.awaitSettled(client, redelivered.getSeqno());
            List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
            assertThat(events).filteredOn(e -> e.is("on_tool_start")).extracting(StreamedEvent::toolCallId).containsExactly("w1");
            assertThat(events).filteredOn(StreamedEvent::terminal).hasSize(1);
        }
        assertThat(model.calls()).isEqualTo(2);
    }

    /**
     * A real stop: the resumed job waits on its next model call when its pod stops; the pod hands
     * the resume back, and the next pod finishes the job. The approved tool ran once; only the
     * cut-off model call is made again.
     */
    @Test
    void aPodStoppedWhileAResumedJobRunsHandsItToTheNextPodWhichFinishesIt() throws Exception {
        model.enqueue(ApprovalJob.oneInterrupt());
        OpenAiTestServer.HeldCall held = model.hold(2);
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url());
             ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            RunningService stopping = pod();
            publish(client, ApprovalJob.cloudEvent(jobId));
            awaitStatus(status, jobId, "agent.status.interrupted");
            PublishAck resume = publish(client, ApprovalJob.resumeEvent(jobId, approve("w1")));
            held.awaitArrival();
            stopping.close();
            model.enqueue(OpenAiTestServer.text(ApprovalJob.FINAL_ANSWER));

            try (RunningService next = pod()) {
                assertThat(awaitStatus(status, jobId, "agent.status.completed").event().at("/data/result/output").asText())
                        .isEqualTo(ApprovalJob.FINAL_ANSWER);
                WorkerConsumer.awaitSettled(client, resume.getSeqno());
            }
            List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
            assertThat(events).filteredOn(e -> e.is("on_tool_start")).extracting(StreamedEvent::toolCallId).containsExactly("w1");
            assertThat(events).filteredOn(StreamedEvent::terminal).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("end"));
            assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                    .containsExactly("agent.status.interrupted", "agent.status.completed");
        }
        assertThat(model.calls()).as("the first call, the cut-off one, and that one again").isEqualTo(3);
    }

    @Test
    void aJobNobodyDecidesExpiresAsInterruptExpired() throws Exception {
        model.enqueue(ApprovalJob.oneInterrupt());
        try (StatusEvents status = StatusEvents.listen(natsServer.url());
             RunningService pod = pod("AGENT_INTERRUPT_TIMEOUT_SECONDS", "1");
             ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            assertThat(pod.post(ApprovalJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json").statusCode()).isEqualTo(202);

            StatusEvents.Received failed = awaitStatus(status, jobId, "agent.status.failed");

            assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("InterruptExpired");
            assertThat(failed.event().at("/data/error/message").asText()).contains("AGENT_INTERRUPT_TIMEOUT_SECONDS (1 s)");
            List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
            assertThat(events.getLast().type()).isEqualTo("error");
            assertThat(events.getLast().data().path("type").asText()).isEqualTo("InterruptExpired");
            JsonNode row = row(pod);
            assertThat(row.path("status").asText()).isEqualTo("failed");
            assertThat(row.at("/error/type").asText()).isEqualTo("InterruptExpired");
            assertThat(row.path("parked_seconds").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(pod.postTo("/jobs/" + jobId + "/resume", decisions(jobId, approve("w1"))).statusCode()).isEqualTo(409);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(CheckpointRow.of(jobId)).hasSize(1));
            Thread.sleep(2_500); // two more sweeps: the expiry is not published again
            assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                    .containsExactly("agent.status.interrupted", "agent.status.failed");
        }
        assertThat(model.calls()).isEqualTo(1);
    }

    /** Writes the row a killed pod would have left (fault injection: the kill lands between two statements). */
    private void crashState(String update) throws Exception {
        try (var c = TestServers.postgres().connect(); PreparedStatement s = c.prepareStatement(update)) {
            s.setString(1, jobId);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private JsonNode row(RunningService pod) throws Exception {
        return JSON.readTree(pod.get("/jobs/" + jobId).body());
    }

    private static PublishAck publish(Connection client, String event) throws Exception {
        return client.jetStream().publish("agent.execute.test", event.getBytes(StandardCharsets.UTF_8));
    }
}
