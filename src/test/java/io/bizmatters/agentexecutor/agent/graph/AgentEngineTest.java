package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.checkpoint.BranchThreads;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.testsupport.JsonRoundTripSaver;
import io.bizmatters.agentexecutor.testsupport.MapToolCatalog;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RecordingJobEvents;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.failure;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine end to end against the real langchain4j OpenAI client and a scripted SSE server. */
class AgentEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITION = """
            {"tool_definitions": [{"name": "lookup_weather", "runtime": {"script": "def lookup_weather(input: str) -> str: ..."}}],
             "nodes": [
               {"id": "orchestrator", "type": "Orchestrator",
                "config": {"name": "Lead", "system_prompt": "You lead.",
                           "model": {"provider": "openai", "model": "gpt-test"}, "tools": []}},
               {"id": "researcher", "type": "specialist",
                "config": {"name": "Researcher", "description": "Finds facts", "system_prompt": "You research.",
                           "model": {"provider": "openai", "model": "gpt-test"}, "tools": ["lookup_weather"]}},
               {"id": "writer", "type": "SPECIALIST",
                "config": {"name": "Writer", "description": "Writes prose", "system_prompt": "You write.",
                           "model": {"provider": "openai", "model": "gpt-test-mini"}, "tools": []}}]}
            """;

    private static final String SOLO = """
            {"nodes": [{"id": "solo", "config": {"name": "Solo", "model": {"provider": "openai", "model": "gpt-test"}}}]}
            """;

    private final OpenAiTestServer model = new OpenAiTestServer();
    private final RecordingJobEvents events = new RecordingJobEvents();
    private final AtomicInteger weatherLookups = new AtomicInteger();
    private final MapToolCatalog catalog = new MapToolCatalog().with("lookup_weather", (context, arguments) -> {
        weatherLookups.incrementAndGet();
        return "sunny in Paris (job " + context.jobId() + ")";
    });
    /** MemorySaver behind plain-Jackson round trips, as the PostgreSQL saver stores state. */
    private final MemorySaver memory = new MemorySaver();
    private final JsonRoundTripSaver saver = new JsonRoundTripSaver(memory);

    @AfterEach
    void stopServer() {
        model.close();
    }

    private AgentEngine engine(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENAI_API_KEY", "test-key");
        env.put("OPENAI_BASE_URL", model.baseUrl());
        env.put("AGENT_MODEL_MAX_RETRIES", "2");
        env.put("AGENT_MODEL_RETRY_BACKOFF_MILLIS", "1");
        env.putAll(extraEnv);
        return new AgentEngine(saver, catalog, events, EngineSettings.fromEnvironment(env), Clock.systemUTC());
    }

    private static AgentJob job(String jobId, String definition) throws Exception {
        return new AgentJob(jobId, "trace-" + jobId, (ObjectNode) JSON.readTree(definition),
                (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"Weather poem for Paris\"}]}"));
    }

    /** The 1 orchestrator + 2 specialists script: 7 model calls, 5 tool executions. */
    private static final List<OpenAiTestServer.Reply> FULL_RUN = List.of(
            toolCalls(call("c1", "write_todos", Map.of("todos", List.of(
                            Map.of("content", "research", "status", "in_progress"),
                            Map.of("content", "write", "status", "pending")))),
                    call("c2", "task", Map.of("subagent_type", "Researcher", "description", "Find the weather in Paris"))),
            toolCalls(call("r1", "lookup_weather", Map.of("input", "Paris"))),
            toolCalls(call("r2", "write_file", Map.of("file_path", "/notes/weather.md", "content", "Paris: sunny\nWind: low"))),
            text("Paris is sunny."),
            toolCalls(call("c3", "task", Map.of("subagent_type", "Writer", "description", "Write a haiku about sunny Paris"))),
            text("Sun on Seine"),
            text("Done: Paris is sunny, and here is a haiku: Sun on Seine"));

    @Test
    void orchestratorDelegatesToTwoSpecialistsWithACheckpointPerStep() throws Exception {
        model.enqueue(FULL_RUN.toArray(OpenAiTestServer.Reply[]::new));

        AgentOutcome outcome = engine(Map.of()).run(job("job-full", DEFINITION));

        assertThat(outcome.output()).isEqualTo("Done: Paris is sunny, and here is a haiku: Sun on Seine");
        assertThat(model.calls()).isEqualTo(7);
        assertThat(weatherLookups).hasValue(1);
        assertThat(outcome.usage()).extracting(u -> u.model() + "=" + u.inputTokens() + "/" + u.outputTokens())
                .containsExactlyInAnyOrder("gpt-test=60/30", "gpt-test-mini=10/5");

        List<JsonNode> requests = model.requests();
        assertThat(toolNames(requests.get(0))).containsExactlyInAnyOrder(
                "task", "write_todos", "ls", "read_file", "write_file", "edit_file");
        assertThat(toolNames(requests.get(1))).containsExactlyInAnyOrder(
                "lookup_weather", "ls", "read_file", "write_file", "edit_file");
        assertThat(requests.get(1).at("/messages/0/content").asText()).isEqualTo("You research.");
        assertThat(requests.get(1).at("/messages/1/content").asText()).isEqualTo("Find the weather in Paris");
        assertThat(requests.get(4).toString()).contains("Paris is sunny.");

        List<RecordingJobEvents.Recorded> recorded = events.of("job-full");
        assertThat(recorded.getLast().type()).isEqualTo("end");
        assertThat(recorded).filteredOn(e -> e.type().equals("error")).isEmpty();
        // write_todos and the Researcher's task run at once: each in its order, the two interleaved.
        assertThat(describe(recorded)).containsSubsequence(
                "state_update agent orchestrator",
                "tool_call orchestrator task",
                "tool_call researcher lookup_weather",
                "tool_result researcher lookup_weather",
                "state_update tools researcher",
                "tool_call researcher write_file",
                "token researcher",
                "state_update agent researcher",
                "tool_result orchestrator task",
                "state_update tools orchestrator",
                "tool_call orchestrator task",
                "token writer",
                "state_update agent writer",
                "tool_result orchestrator task",
                "state_update tools orchestrator",
                "token orchestrator",
                "state_update agent orchestrator",
                "end");
        assertThat(describe(recorded)).containsSubsequence("state_update agent orchestrator", "tool_call orchestrator write_todos",
                "tool_result orchestrator write_todos", "state_update tools orchestrator");
        // 7 model calls, 2 tools steps of the Researcher and 2 joins of the orchestrator
        assertThat(recorded).filteredOn(e -> e.type().equals("state_update")).hasSize(11);

        Checkpoint last = saver.get(RunnableConfig.builder().threadId("job-full").build()).orElseThrow();
        DeepAgentState finalState = new DeepAgentState(last.getState());
        assertThat(finalState.files()).containsOnlyKeys("/notes/weather.md");
        assertThat(((Map<?, ?>) finalState.files().get("/notes/weather.md")).get("content"))
                .isEqualTo(List.of("Paris: sunny", "Wind: low"));
        assertThat(finalState.todos()).hasSize(2);
        assertThat(finalState.steps()).as("7 model calls and 5 tool executions").isEqualTo(12);
        // Each thread: START, then a checkpoint per step. The orchestrator's 3 model calls and 2 joins;
        // the Researcher's 3 model calls and 2 tool executions; the Writer's one model call.
        assertThat(memory.list(RunnableConfig.builder().threadId("job-full").build())).hasSize(6);
        assertThat(memory.list(RunnableConfig.builder().threadId(BranchThreads.of("job-full", "1/task/c2")).build())).hasSize(6);
        assertThat(memory.list(RunnableConfig.builder().threadId(BranchThreads.of("job-full", "2/task/c3")).build())).hasSize(2);
        assertThat(JSON.writeValueAsString(last.getState())).contains("\"role\":\"tool\"");
    }

    @Test
    void aRedeliveredJobResumesAndMakesOnlyTheRemainingModelCalls() throws Exception {
        model.enqueue(FULL_RUN.subList(0, 3).toArray(OpenAiTestServer.Reply[]::new));
        model.enqueue(failure(500), failure(503), failure(502));
        AgentEngine engine = engine(Map.of());

        assertThatThrownBy(() -> engine.run(job("job-resume", DEFINITION)))
                .isInstanceOf(InfrastructureFault.class)
                .hasMessageContaining("unavailable after 3 attempt(s)");
        assertThat(model.calls()).isEqualTo(6);
        assertThat(events.typesOf("job-resume")).doesNotContain("end", "error");

        model.enqueue(FULL_RUN.subList(3, 7).toArray(OpenAiTestServer.Reply[]::new));
        AgentOutcome outcome = engine.run(job("job-resume", DEFINITION));

        assertThat(model.calls() - 6).isEqualTo(4);
        assertThat(outcome.output()).startsWith("Done: Paris is sunny");
        assertThat(weatherLookups).hasValue(1);
        assertThat(model.requests().get(6).toString()).contains("Created file /notes/weather.md");
        assertThat(events.typesOf("job-resume").getLast()).isEqualTo("end");

        AgentOutcome again = engine(Map.of("OPENAI_API_KEY", "")).run(job("job-resume", DEFINITION));
        assertThat(again.output()).isEqualTo(outcome.output());
        assertThat(model.calls()).isEqualTo(10);
    }

    @Test
    void aToolWhoseDependencyIsDownStopsTheJobAndTheRetryRunsOnlyThatToolAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        catalog.with("lookup_weather", (context, arguments) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new InfrastructureFault("weather-service", "weather service is down", null);
            }
            return "sunny";
        });
        model.enqueue(FULL_RUN.toArray(OpenAiTestServer.Reply[]::new));
        AgentEngine engine = engine(Map.of());

        assertThatThrownBy(() -> engine.run(job("job-tool-down", DEFINITION)))
                .isInstanceOf(InfrastructureFault.class).hasMessage("weather service is down");
        assertThat(model.calls()).isEqualTo(2);
        assertThat(events.typesOf("job-tool-down")).doesNotContain("error", "end");

        AgentOutcome outcome = engine.run(job("job-tool-down", DEFINITION));

        assertThat(outcome.output()).startsWith("Done:");
        assertThat(attempts).hasValue(2);
        assertThat(model.calls()).isEqualTo(7);
    }

    @Test
    void aToolThatBreaksFailsTheJob() throws Exception {
        catalog.with("lookup_weather", (context, arguments) -> {
            throw new IllegalStateException("parser exploded");
        });
        model.enqueue(toolCalls(call("o1", "lookup_weather", Map.of("input", "Paris"))));
        String ownTool = SOLO.replace("\"model\"", "\"tools\": [\"lookup_weather\"], \"model\"");

        assertThatThrownBy(() -> engine(Map.of()).run(job("job-tool-broken", ownTool)))
                .isInstanceOf(JobFailure.class).hasMessage("Tool 'lookup_weather' failed: parser exploded");
        assertThat(events.of("job-tool-broken").getLast())
                .satisfies(e -> assertThat(e.type()).isEqualTo("error"))
                .satisfies(e -> assertThat(e.detail()).isEqualTo("JobFailure"));
    }

    @Test
    void aSpecialistWhoseToolBreaksAnswersItsTaskWithTheErrorAndTheOrchestratorCarriesOn() throws Exception {
        catalog.with("lookup_weather", (context, arguments) -> {
            throw new IllegalStateException("parser exploded");
        });
        model.enqueue(FULL_RUN.subList(0, 2).toArray(OpenAiTestServer.Reply[]::new));
        model.enqueue(text("The weather service is broken; no poem today."));

        AgentOutcome outcome = engine(Map.of()).run(job("job-specialist-broken", DEFINITION));

        assertThat(outcome.output()).isEqualTo("The weather service is broken; no poem today.");
        assertThat(model.requests().getLast().toString())
                .contains("Error: the specialist Researcher failed: Tool 'lookup_weather' failed: parser exploded");
        assertThat(outcome.agents()).extracting(u -> u.agent() + " " + u.modelCalls() + "/" + u.toolCalls())
                .as("the broken tool call is not counted: its step never finished").containsExactly("orchestrator 2/2", "researcher 1/0");
    }

    @Test
    void aModelAskingForAnUnknownSpecialistReadsWhyAndCarriesOn() throws Exception {
        model.enqueue(toolCalls(call("x1", "task", Map.of("subagent_type", "Poet", "description", "rhyme"))),
                text("I will answer myself."));

        AgentOutcome outcome = engine(Map.of()).run(job("job-unknown-specialist", DEFINITION));

        assertThat(outcome.output()).isEqualTo("I will answer myself.");
        assertThat(model.requests().get(1).toString()).contains("one of: Researcher, Writer");
    }

    @Test
    void rateLimitedCallsAreRetriedBeforeAnyTokenIsStreamed() throws Exception {
        model.enqueue(failure(429), failure(429), text("All good"));

        AgentOutcome outcome = engine(Map.of()).run(job("job-429", SOLO));

        assertThat(outcome.output()).isEqualTo("All good");
        assertThat(model.calls()).isEqualTo(3);
    }

    @Test
    void aRejectedRequestFailsTheJobWithoutRetry() throws Exception {
        model.enqueue(failure(400));

        assertThatThrownBy(() -> engine(Map.of()).run(job("job-400", DEFINITION)))
                .isInstanceOf(JobFailure.class).hasMessageContaining("rejected the call");
        assertThat(model.calls()).isEqualTo(1);
        assertThat(events.typesOf("job-400").getLast()).isEqualTo("error");
    }

    @Test
    void aMissingKeyFailsTheJobNamingTheVariable() throws Exception {
        Map<String, String> noKey = new HashMap<>();
        noKey.put("OPENAI_API_KEY", "");

        assertThatThrownBy(() -> engine(noKey).run(job("job-nokey", DEFINITION)))
                .isInstanceOf(JobFailure.class).hasMessageContaining("OPENAI_API_KEY");
        assertThat(model.calls()).isZero();
        assertThat(events.of("job-nokey")).filteredOn(e -> !e.type().equals("agents")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo("error"))
                .satisfies(e -> assertThat(e.payload().toString()).contains("OPENAI_API_KEY"));
    }

    @Test
    void unresolvedToolsFailTheJobListingEveryName() throws Exception {
        String definition = DEFINITION.replace("\"tools\": [\"lookup_weather\"]", "\"tools\": [\"lookup_weather\", \"ghost\", \"phantom\", \"write_file\"]");

        assertThatThrownBy(() -> engine(Map.of()).run(job("job-unresolved", definition)))
                .isInstanceOf(JobFailure.class).hasMessageContaining("ghost, phantom");
        assertThat(catalog.requests().getLast()).extracting(t -> t.name())
                .containsExactly("lookup_weather", "ghost", "phantom");
        assertThat(model.calls()).isZero();
        assertThat(events.typesOf("job-unresolved")).containsExactly("agents", "error");
    }

    @Test
    void aLoopingAgentHitsTheStepLimit() throws Exception {
        for (int i = 0; i < 5; i++) {
            model.enqueue(toolCalls(call("l" + i, "ls", Map.of())));
        }

        assertThatThrownBy(() -> engine(Map.of("AGENT_STEP_LIMIT", "4")).run(job("job-loop", DEFINITION)))
                .isInstanceOf(JobFailure.class).hasMessageContaining("step limit of 4");
        assertThat(model.calls()).isEqualTo(2);
        assertThat(events.typesOf("job-loop").getLast()).isEqualTo("error");
    }

    @Test
    void withoutAnyKeyTheOfflineModelRunsTheGraphAndSaysSo() throws Exception {
        Map<String, String> offline = new HashMap<>();
        offline.put("OPENAI_API_KEY", "");
        offline.put("AGENT_OFFLINE_MODEL", "auto");

        AgentOutcome outcome = engine(offline).run(job("job-offline", DEFINITION));

        assertThat(outcome.output()).startsWith("[offline model]").contains("The specialist reported: [offline model]");
        assertThat(outcome.usage()).allSatisfy(u -> assertThat(u.provider()).isEqualTo("offline"));
        assertThat(model.calls()).isZero();
        assertThat(describe(events.of("job-offline"))).containsSubsequence(
                "tool_call orchestrator task", "token researcher", "tool_result orchestrator task", "end");
    }

    @Test
    void aRealKeyAlwaysWinsOverTheOfflineModel() throws Exception {
        model.enqueue(text("real answer"));

        AgentOutcome outcome = engine(Map.of("AGENT_OFFLINE_MODEL", "auto")).run(job("job-real", SOLO));

        assertThat(outcome.output()).isEqualTo("real answer");
        assertThat(model.calls()).isEqualTo(1);
    }

    private static List<String> toolNames(JsonNode request) {
        List<String> names = new ArrayList<>();
        request.path("tools").forEach(tool -> names.add(tool.at("/function/name").asText()));
        return names;
    }

    private static List<String> describe(List<RecordingJobEvents.Recorded> recorded) {
        return recorded.stream().map(e -> java.util.stream.Stream.of(e.type(), e.node(),
                        e.type().equals("token") ? null : e.detail())
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining(" "))).toList();
    }
}
