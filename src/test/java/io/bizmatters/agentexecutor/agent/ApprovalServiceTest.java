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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.bizmatters.agentexecutor.agent.ApprovalJob.approve;
import static io.bizmatters.agentexecutor.agent.ApprovalJob.decisions;
import static io.bizmatters.agentexecutor.agent.ApprovalJob.edit;
import static io.bizmatters.agentexecutor.agent.ApprovalJob.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Approvals through the whole service (EngineAssembly on real PostgreSQL, NATS JetStream and a
 * Redis-compatible server; models served by the scripted OpenAI-compatible server), over both
 * ingresses: parking, each decision type, two interrupts in one turn, an interrupt inside a
 * specialist, duplicates, a race, and every resume that must be refused with the job left as it was.
 */
class ApprovalServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void twoInterruptsInOneTurnOverHttpAreApprovedAndRejectedInOneResume() throws Exception {
        String jobId = SampleJobs.newJobId();
        int callsBefore = model.calls();
        model.enqueue(ApprovalJob.twoInterruptsInOneTurn());
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            HttpResponse<String> parked = service.post(ApprovalJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json");

            assertThat(parked.statusCode()).as(parked.body()).isEqualTo(202);
            JsonNode interrupts = JSON.readTree(parked.body()).path("interrupts");
            assertThat(interrupts).extracting(i -> i.path("tool_call_id").asText()).containsExactly("w1", "k1");
            assertThat(interrupts.get(0).path("agent").asText()).isEqualTo("orchestrator");
            assertThat(interrupts.get(0).path("tool").asText()).isEqualTo("write_file");
            assertThat(interrupts.get(0).at("/arguments/file_path").asText()).isEqualTo("/plan.md");
            assertThat(interrupts.get(0).path("allowed_decisions")).extracting(JsonNode::asText).containsExactly("approve", "edit", "reject");
            assertThat(interrupts.get(1).path("allowed_decisions")).extracting(JsonNode::asText).containsExactly("approve", "reject");
            assertThat(interrupts.get(1).path("description").asText()).isEqualTo("Counting costs money");

            StatusEvents.Received interrupted = awaitStatus(jobId, "agent.status.interrupted");
            assertThat(interrupted.event().path("type").asText()).isEqualTo("dev.my-platform.agent.interrupted");
            assertThat(interrupted.event().path("data")).isEqualTo(JSON.readTree(parked.body()));
            JsonNode row = row(jobId);
            assertThat(row.path("status").asText()).isEqualTo("interrupted");
            assertThat(row.path("interrupts")).isEqualTo(interrupts);
            assertThat(model.calls() - callsBefore).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> StreamedEvent.of(stream).stream().anyMatch(e -> e.is("interrupt")));
            assertThat(StreamedEvent.of(stream)).noneMatch(StreamedEvent::terminal);

            HttpResponse<String> done = service.postTo("/jobs/" + jobId + "/resume",
                    decisions(jobId, approve("w1"), reject("k1", "counting is not needed")));

            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertThat(JSON.readTree(done.body()).at("/result/output").asText()).isEqualTo(ApprovalJob.FINAL_ANSWER);
            List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
            assertThat(events).filteredOn(StreamedEvent::terminal).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("end"));
            assertThat(events.getLast().type()).isEqualTo("end");
            assertThat(events).extracting(StreamedEvent::type).containsSubsequence(
                    "on_tool_start", "on_tool_end", "on_state_update", "interrupt", "decision", "decision", "on_state_update",
                    "on_tool_start", "on_tool_end", "on_state_update", "on_llm_stream", "end");
            assertThat(events).filteredOn(e -> e.is("on_tool_start")).extracting(e -> e.data().path("name").asText())
                    .as("write_todos ran before parking, write_file after the approval, word_count never")
                    .containsExactly("write_todos", "write_file");
            assertThat(events).filteredOn(e -> e.is("decision")).extracting(e -> e.data().path("type").asText())
                    .containsExactly("approve", "reject");
        }
        assertThat(awaitStatus(jobId, "agent.status.completed").event().at("/data/result/output").asText())
                .isEqualTo(ApprovalJob.FINAL_ANSWER);
        assertThat(model.calls() - callsBefore).as("no model call repeated").isEqualTo(2);
        String lastCall = model.requests().getLast().path("messages").toString();
        assertThat(lastCall).contains("The user rejected this call of word_count; it did not run. Their message: counting is not needed");
        assertThat(lastCall).contains("Created file /plan.md");
        JsonNode finished = row(jobId);
        assertThat(finished.path("status").asText()).isEqualTo("completed");
        assertThat(finished.path("interrupts").isNull()).isTrue();
        assertThat(finished.path("parked_seconds").asDouble()).isPositive();
    }

    @Test
    void anEditOverNatsRunsTheToolWithTheEditedArguments() throws Exception {
        String jobId = SampleJobs.newJobId();
        model.enqueue(ApprovalJob.oneInterrupt());
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            PublishAck job = publish(ApprovalJob.cloudEvent(jobId));
            awaitStatus(jobId, "agent.status.interrupted");
            WorkerConsumer.awaitSettled(nats, job.getSeqno());

            PublishAck resume = publish(ApprovalJob.resumeEvent(jobId, edit("w1", Map.of("file_path", "/final.md", "content", "edited"))));

            assertThat(awaitStatus(jobId, "agent.status.completed").event().at("/data/result/output").asText())
                    .isEqualTo(ApprovalJob.FINAL_ANSWER);
            WorkerConsumer.awaitSettled(nats, resume.getSeqno());
            List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
            JsonNode lastState = events.stream().filter(e -> e.is("on_state_update")).reduce((a, b) -> b).orElseThrow().data();
            assertThat(lastState.path("files").has("/final.md")).isTrue();
            assertThat(lastState.path("files").has("/plan.md")).isFalse();
            assertThat(events).filteredOn(e -> e.is("decision")).singleElement()
                    .satisfies(e -> assertThat(e.data().at("/args/file_path").asText()).isEqualTo("/final.md"));
        }
        assertThat(model.requests().getLast().path("messages").toString()).contains("/final.md").doesNotContain("/plan.md");
    }

    @Test
    void anInterruptInsideASpecialistOverNatsResumesInsideTheSpecialist() throws Exception {
        String jobId = SampleJobs.newJobId();
        int callsBefore = model.calls();
        model.enqueue(ApprovalJob.specialistInterrupt());
        publish(ApprovalJob.cloudEvent(jobId));

        JsonNode interrupt = awaitStatus(jobId, "agent.status.interrupted").event().at("/data/interrupts/0");
        assertThat(interrupt.path("agent").asText()).isEqualTo("writer");
        assertThat(interrupt.path("tool_call_id").asText()).isEqualTo("s1");
        assertThat(row(jobId).at("/interrupts/0/agent").asText()).isEqualTo("writer");

        publish(ApprovalJob.resumeEvent(jobId, approve("s1")));

        assertThat(awaitStatus(jobId, "agent.status.completed").event().at("/data/result/output").asText())
                .isEqualTo(ApprovalJob.FINAL_ANSWER);
        assertThat(model.calls() - callsBefore).isEqualTo(4);
        assertThat(model.requests().get(callsBefore + 2).path("messages").toString())
                .as("the Writer's next call reads its own tool result").contains("Created file /plan.md");
    }

    @Test
    void aResumeThatCannotApplyOverHttpIsRefusedAndLeavesTheJobAsItWas() throws Exception {
        String jobId = parkTwoInterrupts();
        JsonNode before = row(jobId);
        String resume = "/jobs/" + jobId + "/resume";

        assertRefused(service.postTo("/jobs/job-nobody/resume", decisions("job-nobody", approve("w1"))), 404, "job_id");
        assertRefused(service.postTo(resume, decisions(jobId, approve("w1"))), 400, "decisions");
        assertRefused(service.postTo(resume, decisions(jobId, approve("w1"), approve("zz"))), 400, "decisions[1].tool_call_id");
        assertRefused(service.postTo(resume, decisions(jobId, approve("w1"), edit("k1", Map.of("text", "x")))), 400, "decisions[1].type");
        assertRefused(service.postTo(resume, decisions(jobId, approve("w1"), approve("w1"))), 400, "decisions[1].tool_call_id");
        assertRefused(service.postTo(resume, "{\"decisions\": [{\"tool_call_id\": \"w1\", \"type\": \"edit\"}]}"), 400, "decisions[0].args");
        assertRefused(service.postTo(resume, "{\"decisions\": [{\"tool_call_id\": \"w1\", \"type\": \"maybe\"}]}"), 400, "decisions[0].type");
        assertRefused(service.postTo(resume, "{\"decisions\": []}"), 400, "decisions");
        assertRefused(service.postTo(resume, "not json"), 400, "body");
        assertRefused(service.postTo(resume, decisions("job-other", approve("w1"), approve("k1"))), 400, "job_id");

        assertThat(row(jobId)).as("every refused resume left the row as it was").isEqualTo(before);
        assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject).containsExactly("agent.status.interrupted");

        String good = decisions(jobId, approve("w1"), approve("k1"));
        assertThat(service.postTo(resume, good).statusCode()).isEqualTo(200);
        HttpResponse<String> duplicate = service.postTo(resume, good);
        assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(200);
        assertThat(JSON.readTree(duplicate.body()).path("status").asText()).isEqualTo("completed");
        assertThat(JSON.readTree(duplicate.body()).path("detail").asText()).contains("already taken");
        assertRefused(service.postTo(resume, decisions(jobId, approve("w1"), reject("k1", "no"))), 409, "job_id");
        assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                .containsExactly("agent.status.interrupted", "agent.status.completed");
    }

    @Test
    void aResumeThatCannotApplyOverNatsIsTerminatedWithoutAFailedEvent() throws Exception {
        String jobId = parkTwoInterrupts();
        JsonNode before = row(jobId);
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            PublishAck partial = publish(ApprovalJob.resumeEvent(jobId, approve("w1")));
            WorkerConsumer.awaitSettled(nats, partial.getSeqno());
            PublishAck disallowed = publish(ApprovalJob.resumeEvent(jobId, approve("w1"), edit("k1", Map.of("text", "x"))));
            WorkerConsumer.awaitSettled(nats, disallowed.getSeqno());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(StreamedEvent.of(stream))
                    .filteredOn(e -> e.is("resume_rejected")).extracting(e -> e.data().path("field").asText())
                    .containsExactly("decisions", "decisions[1].type"));
        }
        assertThat(row(jobId)).isEqualTo(before);
        assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject).containsExactly("agent.status.interrupted");

        PublishAck good = publish(ApprovalJob.resumeEvent(jobId, approve("w1"), reject("k1", "no")));
        assertThat(awaitStatus(jobId, "agent.status.completed")).isNotNull();
        PublishAck duplicate = publish(ApprovalJob.resumeEvent(jobId, approve("w1"), reject("k1", "no")));
        WorkerConsumer.awaitSettled(nats, duplicate.getSeqno());
        assertThat(good.getSeqno()).isLessThan(duplicate.getSeqno());
        assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                .containsExactly("agent.status.interrupted", "agent.status.completed");
    }

    @Test
    void ofTwoRacingResumesExactlyOneWins() throws Exception {
        String jobId = parkOneInterrupt();
        int callsBefore = model.calls();
        String resume = "/jobs/" + jobId + "/resume";

        CompletableFuture<HttpResponse<String>> approving = CompletableFuture.supplyAsync(() -> service.postTo(resume, decisions(jobId, approve("w1"))));
        CompletableFuture<HttpResponse<String>> rejecting = CompletableFuture.supplyAsync(() -> service.postTo(resume, decisions(jobId, reject("w1", "no"))));

        List<Integer> answers = List.of(approving.get().statusCode(), rejecting.get().statusCode());
        assertThat(answers).as(approving.get().body() + " / " + rejecting.get().body()).containsExactlyInAnyOrder(200, 409);
        assertThat(model.calls() - callsBefore).isEqualTo(1);
        awaitStatus(jobId, "agent.status.completed");
        assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                .containsExactly("agent.status.interrupted", "agent.status.completed");
    }

    @Test
    void aParkedJobsOwnRedeliveryRepublishesItsInterruptedEventWithoutAModelCall() throws Exception {
        String jobId = parkOneInterrupt();
        int callsBefore = model.calls();

        HttpResponse<String> again = service.post(ApprovalJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json");

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).at("/interrupts/0/tool_call_id").asText()).isEqualTo("w1");
        await().atMost(Duration.ofSeconds(10)).until(() -> status.forJob(jobId).size() == 2);
        assertThat(status.forJob(jobId)).extracting(StatusEvents.Received::subject)
                .containsOnly("agent.status.interrupted");
        assertThat(model.calls()).isEqualTo(callsBefore);
        HttpResponse<String> resumed = service.post(ApprovalJob.resumeEvent(jobId, approve("w1")), "Content-Type", "application/cloudevents+json");
        assertThat(resumed.statusCode()).as("a resume event POSTed to / is taken as on NATS").isEqualTo(200);
        assertThat(JSON.readTree(resumed.body()).at("/result/output").asText()).isEqualTo(ApprovalJob.FINAL_ANSWER);
    }

    @Test
    void interruptOnNamingNoToolOfItsAgentIsA400NamingThePath() throws Exception {
        String jobId = SampleJobs.newJobId();
        ObjectNode definition = ApprovalJob.definition();
        ((ObjectNode) definition.at("/nodes/1/config/interrupt_on")).put("deploy", true);
        int callsBefore = model.calls();

        HttpResponse<String> answer = service.post(MultiAgentJob.cloudEvent(jobId, definition), "Content-Type", "application/cloudevents+json");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("field").asText()).isEqualTo("agent_definition.nodes[1].config.interrupt_on.deploy");
        assertThat(JSON.readTree(answer.body()).path("detail").asText()).contains("names no tool of agent 'writer'");
        assertThat(model.calls()).isEqualTo(callsBefore);
    }

    private String parkOneInterrupt() throws Exception {
        return park(ApprovalJob.oneInterrupt());
    }

    private String parkTwoInterrupts() throws Exception {
        return park(ApprovalJob.twoInterruptsInOneTurn());
    }

    private String park(OpenAiTestServer.Reply... script) throws Exception {
        String jobId = SampleJobs.newJobId();
        model.enqueue(script);
        HttpResponse<String> parked = service.post(ApprovalJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json");
        assertThat(parked.statusCode()).as(parked.body()).isEqualTo(202);
        awaitStatus(jobId, "agent.status.interrupted");
        return jobId;
    }

    private static void assertRefused(HttpResponse<String> answer, int statusCode, String field) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(statusCode);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("field").asText()).as(answer.body()).isEqualTo(field);
        assertThat(body.path("detail").asText()).isNotBlank().doesNotContain("Exception", "SQL");
    }

    private static PublishAck publish(String event) throws Exception {
        return nats.jetStream().publish("agent.execute.test", event.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode row(String jobId) throws Exception {
        return JSON.readTree(service.get("/jobs/" + jobId).body());
    }

    static StatusEvents.Received awaitStatus(StatusEvents status, String jobId, String subject) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.forJob(jobId).stream().anyMatch(r -> r.subject().equals(subject)));
        return status.forJob(jobId).stream().filter(r -> r.subject().equals(subject)).findFirst().orElseThrow();
    }

    private static StatusEvents.Received awaitStatus(String jobId, String subject) {
        return awaitStatus(status, jobId, subject);
    }
}
