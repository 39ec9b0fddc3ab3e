package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.JobLimits;
import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.testsupport.JsonRoundTripSaver;
import io.bizmatters.agentexecutor.testsupport.MapToolCatalog;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RecordingJobEvents;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * interrupt_on in the engine, against the real langchain4j OpenAI client and a scripted server: a
 * job parks before the calls that wait for approval, after running the ones that do not, and a
 * later run with the decisions continues from the checkpoint without repeating a model call.
 */
class ApprovalEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITION = """
            {"nodes": [
               {"id": "orchestrator", "type": "Orchestrator",
                "config": {"name": "Lead", "system_prompt": "You lead.",
                           "model": {"provider": "openai", "model": "gpt-test"}, "tools": ["deploy"],
                           "interrupt_on": {"write_file": true, "read_file": false,
                                            "deploy": {"allowed_decisions": ["approve", "reject"], "description": "Deploys to production"}}}},
               {"id": "researcher", "type": "specialist",
                "config": {"name": "Researcher", "description": "Finds facts", "system_prompt": "You research.",
                           "model": {"provider": "openai", "model": "gpt-test"}, "tools": ["deploy"],
                           "interrupt_on": {"deploy": true}}}]}
            """;

    private final OpenAiTestServer model = new OpenAiTestServer();
    private final RecordingJobEvents events = new RecordingJobEvents();
    private final List<String> deployed = new CopyOnWriteArrayList<>();
    private final MapToolCatalog catalog = new MapToolCatalog().with("deploy", (context, arguments) -> {
        deployed.add(arguments);
        return "deployed " + arguments;
    });
    private final MemorySaver memory = new MemorySaver();
    private final AgentEngine engine = new AgentEngine(new JsonRoundTripSaver(memory), catalog, events,
            EngineSettings.fromEnvironment(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", model.baseUrl())), Clock.systemUTC());

    @AfterEach
    void stopServer() {
        model.close();
    }

    private static AgentJob job(String jobId, String definition, Decision... decisions) throws Exception {
        Map<String, Decision> byCall = new java.util.LinkedHashMap<>();
        for (Decision decision : decisions) {
            byCall.put(decision.toolCallId(), decision);
        }
        return new AgentJob(jobId, "trace", (ObjectNode) JSON.readTree(definition),
                (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"ship it\"}]}"), JobLimits.NONE, byCall);
    }

    @Test
    void callsNeedingNoApprovalRunFirstThenTheJobParksAndResumesWithApproveAndReject() throws Exception {
        model.enqueue(toolCalls(
                        call("w1", "write_file", Map.of("file_path", "/plan.md", "content", "the plan")),
                        call("t1", "write_todos", Map.of("todos", List.of(Map.of("content", "ship", "status", "pending")))),
                        call("d1", "deploy", Map.of("input", "v2"))),
                text("Shipped the plan; the deploy was refused."));

        AgentOutcome parked = engine.run(job("job-a", DEFINITION));

        assertThat(parked.isParked()).isTrue();
        assertThat(parked.interrupts()).extracting(Interrupt::toolCallId, Interrupt::agent, Interrupt::tool)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("w1", "orchestrator", "write_file"),
                        org.assertj.core.groups.Tuple.tuple("d1", "orchestrator", "deploy"));
        assertThat(parked.interrupts().get(1).allowedDecisions()).containsExactly(Decision.Type.APPROVE, Decision.Type.REJECT);
        assertThat(parked.interrupts().get(1).description()).isEqualTo("Deploys to production");
        assertThat(model.calls()).isEqualTo(1);
        assertThat(events.typesOf("job-a")).as("write_todos ran, then the job parked without end")
                .containsSubsequence("tool_call", "tool_result", "state_update", "interrupt")
                .doesNotContain("end", "error");
        assertThat(events.of("job-a")).filteredOn(e -> e.type().equals("tool_call")).extracting(RecordingJobEvents.Recorded::detail)
                .containsExactly("write_todos");
        assertThat(memory.get(RunnableConfig.builder().threadId("job-a").build()).orElseThrow().getNextNodeId()).isEqualTo("approval");

        AgentOutcome again = engine.run(job("job-a", DEFINITION));
        assertThat(again.interrupts()).as("a redelivery without decisions parks again").hasSize(2);
        assertThat(model.calls()).isEqualTo(1);

        AgentOutcome done = engine.run(job("job-a", DEFINITION, new Decision("w1", Decision.Type.APPROVE, null, null),
                new Decision("d1", Decision.Type.REJECT, null, "not on a Friday")));

        assertThat(done.isParked()).isFalse();
        assertThat(done.output()).isEqualTo("Shipped the plan; the deploy was refused.");
        assertThat(model.calls()).as("no model call repeated").isEqualTo(2);
        assertThat(deployed).isEmpty();
        JsonNode secondCall = model.requests().get(1).path("messages");
        assertThat(secondCall.toString()).contains("The user rejected this call of deploy; it did not run. Their message: not on a Friday");
        assertThat(secondCall.toString()).contains("Created file /plan.md");
        assertThat(events.typesOf("job-a")).containsSubsequence("interrupt", "decision", "decision", "state_update",
                "tool_call", "tool_result", "state_update", "end");
        assertThat(events.typesOf("job-a")).filteredOn("end"::equals).hasSize(1);
    }

    @Test
    void anEditRunsTheToolWithTheEditedArgumentsAndTheModelSeesThem() throws Exception {
        model.enqueue(toolCalls(call("w1", "write_file", Map.of("file_path", "/a.md", "content", "draft"))), text("ok"));
        assertThat(engine.run(job("job-e", DEFINITION)).isParked()).isTrue();

        AgentOutcome done = engine.run(job("job-e", DEFINITION,
                new Decision("w1", Decision.Type.EDIT, "{\"file_path\":\"/b.md\",\"content\":\"final\"}", null)));

        assertThat(done.output()).isEqualTo("ok");
        JsonNode secondCall = model.requests().get(1).path("messages");
        assertThat(secondCall.toString()).contains("/b.md").doesNotContain("/a.md").contains("Created file /b.md");
    }

    @Test
    void aJobParksAgainOnItsNextApprovalAndAnApprovalIsSpentOnce() throws Exception {
        model.enqueue(toolCalls(call("w1", "write_file", Map.of("file_path", "/a.md", "content", "one"))),
                toolCalls(call("w1", "write_file", Map.of("file_path", "/a.md", "content", "two"))),
                text("both written"));
        assertThat(engine.run(job("job-twice", DEFINITION)).isParked()).isTrue();

        AgentOutcome second = engine.run(job("job-twice", DEFINITION, new Decision("w1", Decision.Type.APPROVE, null, null)));

        assertThat(second.interrupts()).as("the model reused the id: the first approval does not cover the new call")
                .singleElement().satisfies(i -> assertThat(i.arguments()).contains("two"));
        assertThat(model.calls()).isEqualTo(2);
        AgentOutcome done = engine.run(job("job-twice", DEFINITION, new Decision("w1", Decision.Type.REJECT, null, null)));
        assertThat(done.output()).isEqualTo("both written");
        assertThat(model.requests().getLast().path("messages").toString())
                .contains("Created file /a.md").contains("The user rejected this call of write_file; it did not run.");
        assertThat(events.typesOf("job-twice")).filteredOn("interrupt"::equals).hasSize(2);
        assertThat(events.typesOf("job-twice")).filteredOn("end"::equals).hasSize(1);
    }

    @Test
    void aSpecialistsCallParksInsideTheSpecialistAndResumesThere() throws Exception {
        model.enqueue(toolCalls(call("c1", "task", Map.of("subagent_type", "Researcher", "description", "deploy v3"))),
                toolCalls(call("r1", "deploy", Map.of("input", "v3"))),
                text("v3 is out"),
                text("Done: v3 is out"));

        AgentOutcome parked = engine.run(job("job-s", DEFINITION));
        assertThat(parked.interrupts()).singleElement().satisfies(i -> {
            assertThat(i.agent()).isEqualTo("researcher");
            assertThat(i.tool()).isEqualTo("deploy");
            assertThat(i.arguments()).isEqualTo("{\"input\":\"v3\"}");
        });
        assertThat(model.calls()).isEqualTo(2);

        AgentOutcome done = engine.run(job("job-s", DEFINITION, new Decision("r1", Decision.Type.APPROVE, null, null)));

        assertThat(done.output()).isEqualTo("Done: v3 is out");
        assertThat(deployed).containsExactly("{\"input\":\"v3\"}");
        assertThat(model.calls()).isEqualTo(4);
    }

    @Test
    void interruptOnNamingNoToolOfItsAgentIsBadInputNamingThePath() {
        String definition = DEFINITION.replace("\"read_file\": false", "\"rm_rf\": true");
        assertThatThrownBy(() -> engine.run(job("job-bad", definition)))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("agent_definition.nodes[0].config.interrupt_on.rm_rf names no tool of agent 'orchestrator'")
                .extracting(e -> ((BadInput) e).field()).isEqualTo("agent_definition.nodes[0].config.interrupt_on.rm_rf");
        assertThat(model.calls()).isZero();
    }
}
