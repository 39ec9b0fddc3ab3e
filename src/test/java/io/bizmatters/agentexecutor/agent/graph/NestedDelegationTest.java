package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.agent.JobLimits;
import io.bizmatters.agentexecutor.failure.LimitExceeded;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;
import io.bizmatters.agentexecutor.testsupport.JsonRoundTripSaver;
import io.bizmatters.agentexecutor.testsupport.MapToolCatalog;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RecordingJobEvents;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import org.awaitility.Awaitility;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.bizmatters.agentexecutor.agent.graph.ParallelEngineTest.turnOf;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Nested delegation (issue 11) against the real langchain4j OpenAI client: the orchestrator hands
 * specialist A a task, and A, whose tools include {@code task}, hands specialist B two tasks in
 * one turn. The scripted server answers each conversation by its system prompt, its task
 * description and its number of model turns.
 */
class NestedDelegationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITION = """
            {"nodes": [
             {"id": "lead", "type": "Orchestrator", "config": {"name": "Lead", "system_prompt": "You lead.",
              "model": {"provider": "openai", "model": "gpt-test"}}},
             {"id": "a", "type": "specialist", "config": {"name": "A", "description": "splits work",
              "system_prompt": "You are A.", "model": {"provider": "openai", "model": "gpt-test"}, "tools": ["task"]}},
             {"id": "b", "type": "specialist", "config": {"name": "B", "description": "does one part",
              "system_prompt": "You are B.", "model": {"provider": "openai", "model": "gpt-test"}}}]}""";

    private final OpenAiTestServer model = new OpenAiTestServer();
    private final RecordingJobEvents events = new RecordingJobEvents();
    private final JsonRoundTripSaver saver = new JsonRoundTripSaver(new MemorySaver());

    private final Map<String, List<OpenAiTestServer.Reply>> scripts = Map.of(
            "You lead.|Do it all", List.of(toolCalls(task("t1", "A", "Split it")), text("lead done")),
            "You are A.|Split it", List.of(toolCalls(task("n1", "B", "Part one"), task("n2", "B", "Part two")), text("A done")),
            "You are B.|Part one", List.of(text("B did part one")),
            "You are B.|Part two", List.of(text("B did part two")));

    @AfterEach
    void stopServer() {
        model.close();
    }

    private static ScriptedModelServer.Call task(String id, String specialist, String description) {
        return call(id, "task", Map.of("subagent_type", specialist, "description", description));
    }

    /** A conversation: its system prompt and its first user message, which for a specialist is its task. */
    private static String conversationOf(JsonNode request) {
        return request.at("/messages/0/content").asText() + "|" + request.at("/messages/1/content").asText();
    }

    private OpenAiTestServer.Reply answer(ScriptedModelServer.ChatCall call) {
        try {
            Thread.sleep(conversationOf(call.body()).startsWith("You are B.") ? 500 : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<OpenAiTestServer.Reply> script = scripts.get(conversationOf(call.body()));
        int turn = turnOf(call.body());
        return script == null || turn >= script.size() ? null : script.get(turn);
    }

    private AgentEngine engine() {
        return new AgentEngine(saver, new MapToolCatalog(), events, EngineSettings.fromEnvironment(Map.of("OPENAI_API_KEY", "k",
                "OPENAI_BASE_URL", model.baseUrl(), "AGENT_MODEL_MAX_RETRIES", "0")), Clock.systemUTC(),
                JobControl.Lookup.NONE, EngineTelemetry.off());
    }

    private static AgentJob job(String jobId, JobLimits limits) throws Exception {
        return new AgentJob(jobId, "trace", (ObjectNode) JSON.readTree(DEFINITION),
                (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"Do it all\"}]}"), limits, Map.of());
    }

    private List<ScriptedModelServer.Timing> callsOf(String conversation) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> model.timings().size() == model.requests().size());
        return model.timings().stream().filter(t -> t.body() != null && conversationOf(t.body()).equals(conversation))
                .sorted(Comparator.comparingInt(t -> turnOf(t.body()))).toList();
    }

    /** The tools a conversation's first request offered, and the specialists its task tool names. */
    private List<String> offered(String conversation) {
        List<String> offered = new ArrayList<>();
        for (JsonNode tool : callsOf(conversation).getFirst().body().path("tools")) {
            String name = tool.at("/function/name").asText();
            offered.add(name);
            tool.at("/function/parameters/properties/subagent_type/enum").forEach(s -> offered.add(name + ":" + s.asText()));
        }
        return offered;
    }

    @Test
    void aSpecialistThatNamesTaskDelegatesTwoCallsAtOnceAndGetsTheirResultsInItsOrder() throws Exception {
        model.answerWith(this::answer);

        AgentOutcome outcome = engine().run(job("job-nested", JobLimits.NONE));

        assertThat(outcome.output()).isEqualTo("lead done");
        ScriptedModelServer.Timing one = callsOf("You are B.|Part one").getFirst(), two = callsOf("You are B.|Part two").getFirst();
        assertThat(one.overlaps(two)).as("B's two conversations overlap").isTrue();
        List<String> results = new ArrayList<>();
        callsOf("You are A.|Split it").get(1).body().path("messages").forEach(m -> {
            if (m.path("role").asText().equals("tool")) {
                results.add(m.path("tool_call_id").asText() + "=" + m.path("content").asText());
            }
        });
        assertThat(results).containsExactly("n1=B did part one", "n2=B did part two");
        assertThat(offered("You are A.|Split it")).as("A's task tool offers the others, never A").contains("task", "task:B")
                .doesNotContain("task:A", "task:Lead");
        assertThat(offered("You are B.|Part one")).as("B names no task: it has none").doesNotContain("task");

        List<RecordingJobEvents.Recorded> ofB = events.of("job-nested").stream().filter(e -> "b".equals(e.node())
                || "b".equals(e.detail())).toList();
        assertThat(ofB).isNotEmpty().allSatisfy(e -> assertThat(e.parentTaskCallId()).isEqualTo("t1"));
        assertThat(ofB).extracting(RecordingJobEvents.Recorded::taskCallId).contains("n1", "n2").containsOnly("n1", "n2");
        assertThat(events.of("job-nested")).filteredOn(e -> "tool_result".equals(e.type()) && "a".equals(e.node()))
                .extracting(RecordingJobEvents.Recorded::taskCallId, RecordingJobEvents.Recorded::payload)
                .containsExactlyInAnyOrder(tuple("t1", "B did part one"), tuple("t1", "B did part two"));
        assertThat(outcome.agents()).extracting(u -> u.agent() + " " + u.modelCalls() + "/" + u.toolCalls())
                .containsExactly("lead 2/1", "a 2/2", "b 2/0");
    }

    @Test
    void aJobWhoseDelegationDepthIsOneRefusesTheSpecialistsNestedCall() throws Exception {
        model.answerWith(this::answer);

        assertThatThrownBy(() -> engine().run(job("job-shallow", JobLimits.fromFields(Map.of("max_delegation_depth", 1)))))
                .isInstanceOf(LimitExceeded.class)
                .hasMessage("max_delegation_depth 1 reached: a task call of A would nest specialists 2 deep");
        assertThat(callsOf("You are B.|Part one")).as("B never started").isEmpty();
        assertThat(callsOf("You are B.|Part two")).isEmpty();
        assertThat(events.typesOf("job-shallow")).doesNotContain("end");
    }
}
