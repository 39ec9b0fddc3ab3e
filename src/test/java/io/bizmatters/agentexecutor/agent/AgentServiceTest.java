package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.ScriptedService;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service with the real engine (EngineAssembly), on real PostgreSQL, NATS JetStream and
 * a Redis-compatible server, its models served by the scripted OpenAI-compatible test server. NATS
 * is a private server, so no message left by another test class reaches this service.
 */
class AgentServiceTest {
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
    void anOrchestratorWithTwoSpecialistsRunsToCompletionOverHttp() throws Exception {
        String jobId = SampleJobs.newJobId();
        int callsBefore = model.calls();
        double tokensBefore = service.metricSum("agent_executor_llm_tokens_total");
        model.enqueue(MultiAgentJob.script());

        List<StreamedEvent> events;
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            HttpResponse<String> response = service.post(MultiAgentJob.cloudEvent(jobId),
                    "Content-Type", "application/cloudevents+json");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).at("/result/output").asText()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
            events = StreamedEvent.untilTerminal(stream);
        }

        StatusEvents.Received completed = status.awaitFor(jobId);
        assertThat(completed.subject()).isEqualTo("agent.status.completed");
        assertThat(completed.event().at("/data/result/output").asText()).isEqualTo(MultiAgentJob.FINAL_ANSWER);

        assertThat(model.calls() - callsBefore).isEqualTo(MultiAgentJob.MODEL_CALLS);
        assertThat(model.unusedReplies()).isZero();
        JsonNode researcherAfterCounting = model.requests().get(callsBefore + 2);
        assertThat(lastMessage(researcherAfterCounting).path("role").asText()).isEqualTo("tool");
        assertThat(lastMessage(researcherAfterCounting).path("content").asText())
                .as("the word_count route's answer reaches the model").isEqualTo("4");

        assertStreamedInOrder(events);
        assertOneWholeCheckpointIsKept(jobId);

        JsonNode row = JSON.readTree(service.get("/jobs/" + jobId).body());
        assertThat(row.path("status").asText()).isEqualTo("completed");
        assertThat(MultiAgentJob.usageOf(row)).containsExactlyInAnyOrderElementsOf(MultiAgentJob.USAGE);
        assertThat(service.metricSum("agent_executor_llm_tokens_total") - tokensBefore).isEqualTo(MultiAgentJob.TOKENS);
    }

    /**
     * Every step is one segment of the stream closed by its on_state_update: a model call streams
     * its chunks (and, when a specialist answers, the end of its task), a tool execution starts one
     * tool (and ends it, unless it starts a task). Tool starts come before their ends, tasks enclose
     * their specialist's tools, and end is last and comes once.
     */
    private static void assertStreamedInOrder(List<StreamedEvent> events) {
        assertThat(events).filteredOn(e -> e.is("error")).isEmpty();
        assertThat(events).filteredOn(e -> e.is("end")).hasSize(1);
        assertThat(events.getLast().type()).isEqualTo("end");

        List<List<StreamedEvent>> steps = new ArrayList<>();
        List<StreamedEvent> current = new ArrayList<>();
        for (StreamedEvent event : events.subList(0, events.size() - 1)) {
            current.add(event);
            if (event.is("on_state_update")) {
                steps.add(current);
                current = new ArrayList<>();
            }
        }
        assertThat(current).as("nothing between the last state update and end").isEmpty();
        // The orchestrator's write_todos and its task run at once in one tools step, joined when the
        // Researcher is done: 7 model calls, the specialists' tool steps and the orchestrator's 2 joins.
        assertThat(steps).hasSize(MultiAgentJob.MODEL_CALLS + 4);
        List<String> modelCallNodes = new ArrayList<>();
        for (List<StreamedEvent> step : steps) {
            StreamedEvent update = step.getLast();
            List<StreamedEvent> inside = step.subList(0, step.size() - 1);
            assertThat(inside).as("a step streams something before its state update").isNotEmpty();
            if (update.node().equals("agent")) {
                List<StreamedEvent> chunks = inside.stream().filter(e -> e.is("on_llm_stream")).toList();
                assertThat(chunks).as("a model call streams its answer").isNotEmpty();
                modelCallNodes.add(chunks.getLast().node());
            } else {
                assertThat(update.node()).isEqualTo("tools");
                assertThat(inside).anyMatch(e -> e.is("on_tool_end"));
            }
        }
        assertThat(modelCallNodes).containsExactly(
                "orchestrator", "researcher", "researcher", "orchestrator", "writer", "writer", "orchestrator");

        // write_todos c1 and task c2 run at once: each keeps its own order, and they may interleave.
        List<String> tools = toolOrder(events);
        assertThat(tools.stream().filter(t -> !t.endsWith(" c1")).toList()).containsExactly(
                "start task c2", "start word_count r1", "end word_count r1", "end task c2",
                "start task c3", "start write_file w1", "end write_file w1", "end task c3");
        assertThat(tools.subList(0, tools.indexOf("start task c3")).stream().filter(t -> t.endsWith(" c1")).toList())
                .containsExactly("start write_todos c1", "end write_todos c1");
        assertThat(events).filteredOn(e -> e.is("on_tool_end") && e.toolCallId().equals("r1")).singleElement()
                .satisfies(e -> assertThat(e.node()).isEqualTo("researcher"))
                .satisfies(e -> assertThat(e.data().path("output").asText()).isEqualTo("4"));
        assertThat(events).filteredOn(e -> e.is("on_tool_end") && e.toolCallId().equals("c2")).singleElement()
                .satisfies(e -> assertThat(e.data().path("output").asText()).isEqualTo("The text has 4 words."));
        assertThat(events).filteredOn(e -> e.is("on_llm_stream") && e.data().has("tool_call_chunks"))
                .extracting(e -> e.data().at("/tool_call_chunks/0/name").asText())
                .contains("write_todos", "task", "word_count", "write_file");

        List<StreamedEvent> finalStep = steps.getLast();
        assertThat(finalStep.subList(0, finalStep.size() - 1).stream().map(e -> e.data().path("content").asText())
                .reduce("", String::concat)).isEqualTo(MultiAgentJob.FINAL_ANSWER);
        JsonNode lastState = finalStep.getLast().data();
        assertThat(lastState.path("messages").path(lastState.path("messages").size() - 1).path("content").asText())
                .isEqualTo(MultiAgentJob.FINAL_ANSWER);
        assertThat(lastState.at("/files/~1haiku.md/content"))
                .containsExactlyElementsOf(MultiAgentJob.HAIKU.lines().map(JSON.getNodeFactory()::textNode).toList());
        assertThat(lastState.path("todos")).hasSize(2);
    }

    private static List<String> toolOrder(List<StreamedEvent> events) {
        return events.stream().filter(e -> e.is("on_tool_start") || e.is("on_tool_end"))
                .map(e -> (e.is("on_tool_start") ? "start " : "end ") + e.data().path("name").asText() + " " + e.toolCallId())
                .toList();
    }

    /** Retention (default "last") prunes asynchronously once the job is done: one row stays, the whole final state. */
    private static void assertOneWholeCheckpointIsKept(String jobId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(CheckpointRow.of(jobId)).hasSize(1));
        CheckpointRow kept = CheckpointRow.of(jobId).getFirst();
        assertThat(kept.whole()).isTrue();
        assertThat(kept.nextNodeId()).isEqualTo("__END__");
        assertThat(kept.lastMessage()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
        assertThat(kept.state().path("files").has("/haiku.md")).isTrue();
        assertThat(kept.state().path("steps").asInt()).isEqualTo(MultiAgentJob.MODEL_CALLS + MultiAgentJob.TOOL_EXECUTIONS);
    }

    @Test
    void anUnresolvedToolFailsTheJobAndItsMessageIsAcked() throws Exception {
        String jobId = SampleJobs.newJobId();
        int callsBefore = model.calls();
        double acked = service.metricSum("agent_executor_nats_messages_processed_total");
        double nakedOrTerminated = service.metricSum("agent_executor_nats_messages_failed_total");

        List<StreamedEvent> events;
        PublishAck published;
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            published = nats.jetStream().publish("agent.execute.test", MultiAgentJob.cloudEvent(jobId,
                    MultiAgentJob.definition("word_count", "ghost", "phantom")).getBytes(StandardCharsets.UTF_8));
            events = StreamedEvent.untilTerminal(stream);
        }

        StatusEvents.Received failed = status.awaitFor(jobId);
        assertThat(failed.subject()).isEqualTo("agent.status.failed");
        assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("JobFailure");
        assertThat(failed.event().at("/data/error/message").asText())
                .startsWith("No tool is deployed under the name(s) ghost, phantom.");
        assertThat(events).extracting(StreamedEvent::type).containsExactly("error");
        assertThat(events.getFirst().data().path("error").asText()).contains("ghost, phantom");
        assertThat(model.calls()).isEqualTo(callsBefore);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConsumerInfo consumer = nats.jetStreamManagement().getConsumerInfo("AGENT_EXECUTION", "agent-executor-workers");
            assertThat(consumer.getAckFloor().getStreamSequence()).isGreaterThanOrEqualTo(published.getSeqno());
            assertThat(consumer.getNumAckPending()).isZero();
            assertThat(consumer.getNumPending()).isZero();
        });
        assertThat(service.metricSum("agent_executor_nats_messages_processed_total") - acked).as("acked").isEqualTo(1);
        assertThat(service.metricSum("agent_executor_nats_messages_failed_total") - nakedOrTerminated)
                .as("neither naked nor terminated").isZero();
        assertThat(status.forJob(jobId)).hasSize(1);
    }

    private static JsonNode lastMessage(JsonNode request) {
        JsonNode messages = request.path("messages");
        return messages.path(messages.size() - 1);
    }
}
