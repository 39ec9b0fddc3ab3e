package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.agent.JobLimits;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;
import io.bizmatters.agentexecutor.testsupport.JsonRoundTripSaver;
import io.bizmatters.agentexecutor.testsupport.MapToolCatalog;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RecordingJobEvents;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parallel tool calls and specialists (issue 11) against the real langchain4j OpenAI client: an
 * orchestrator hands three specialists a task each in one turn. The scripted server answers each
 * conversation by its system prompt and its number of model turns, since the specialists' calls
 * arrive in no fixed order, and records when each call arrived and was answered.
 */
class ParallelEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECIALISTS = List.of("A", "B", "C");

    private final OpenAiTestServer model = new OpenAiTestServer();
    private final RecordingJobEvents events = new RecordingJobEvents();
    private final MemorySaver memory = new MemorySaver();
    private final JsonRoundTripSaver saver = new JsonRoundTripSaver(memory);
    /** Executions of the probe tool by call id, and how many ran at once at most. */
    private final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    private final AtomicInteger probesAtWork = new AtomicInteger();
    private final AtomicInteger mostProbesAtOnce = new AtomicInteger();
    private volatile BiFunction<String, String, String> probe = (callId, arguments) -> "probed " + arguments;
    private final MapToolCatalog catalog = new MapToolCatalog().with("probe", (context, arguments) -> {
        probes.computeIfAbsent(context.toolCallId(), id -> new AtomicInteger()).incrementAndGet();
        mostProbesAtOnce.accumulateAndGet(probesAtWork.incrementAndGet(), Math::max);
        try {
            return probe.apply(context.toolCallId(), arguments);
        } finally {
            probesAtWork.decrementAndGet();
        }
    });
    private volatile long latencyMillis;

    @AfterEach
    void stopServer() {
        model.close();
    }

    /** Each specialist X: probe, then write /X.md, then answer "X done"; the orchestrator delegates to all three, then sums up. */
    private final Map<String, List<OpenAiTestServer.Reply>> scripts = new ConcurrentHashMap<>(Map.of(
            "You lead.", List.of(toolCalls(task("ta", "A"), task("tb", "B"), task("tc", "C")), text("all done")),
            "You are A.", specialist("A", "/A.md"),
            "You are B.", specialist("B", "/B.md"),
            "You are C.", specialist("C", "/C.md")));

    private static List<OpenAiTestServer.Reply> specialist(String name, String path) {
        String id = name.toLowerCase();
        return List.of(toolCalls(call(id + "1", "probe", Map.of("input", name))),
                toolCalls(call(id + "2", "write_file", Map.of("file_path", path, "content", name + " wrote this"))),
                text(name + " done"));
    }

    private static ScriptedModelServer.Call task(String id, String specialist) {
        return call(id, "task", Map.of("subagent_type", specialist, "description", "Do your part, " + specialist));
    }

    private static String systemOf(JsonNode request) {
        return request.at("/messages/0/content").asText();
    }

    /** How many model turns a conversation has had: its assistant messages. */
    static int turnOf(JsonNode request) {
        int turn = 0;
        for (JsonNode message : request.path("messages")) {
            turn += "assistant".equals(message.path("role").asText()) ? 1 : 0;
        }
        return turn;
    }

    /** Answers each conversation from its own script, after the configured latency. */
    private OpenAiTestServer.Reply answer(ScriptedModelServer.ChatCall call) {
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<OpenAiTestServer.Reply> script = scripts.get(systemOf(call.body()));
        int turn = turnOf(call.body());
        return script == null || turn >= script.size() ? null : script.get(turn);
    }

    private String definition(String specialistExtras) {
        StringBuilder nodes = new StringBuilder("""
                {"id": "lead", "type": "Orchestrator", "config": {"name": "Lead", "system_prompt": "You lead.",
                 "model": {"provider": "openai", "model": "gpt-test"}}}""");
        for (String name : SPECIALISTS) {
            nodes.append(",\n{\"id\": \"").append(name.toLowerCase()).append("\", \"type\": \"specialist\", \"config\": {\"name\": \"")
                    .append(name).append("\", \"description\": \"does ").append(name).append("\", \"system_prompt\": \"You are ")
                    .append(name).append(".\", \"model\": {\"provider\": \"openai\", \"model\": \"gpt-test\"}, \"tools\": [\"probe\"]")
                    .append(name.equals("B") ? specialistExtras : "").append("}}");
        }
        return "{\"nodes\": [" + nodes + "]}";
    }

    private AgentEngine engine(Map<String, String> extraEnv, JobControl.Lookup controls) {
        Map<String, String> env = new HashMap<>(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", model.baseUrl(),
                "AGENT_MODEL_MAX_RETRIES", "0"));
        env.putAll(extraEnv);
        return new AgentEngine(saver, catalog, events, EngineSettings.fromEnvironment(env), Clock.systemUTC(), controls,
                EngineTelemetry.off());
    }

    private AgentEngine engine() {
        return engine(Map.of(), JobControl.Lookup.NONE);
    }

    private AgentJob job(String jobId, String definition, Decision... decisions) throws Exception {
        Map<String, Decision> byCall = new LinkedHashMap<>();
        for (Decision decision : decisions) {
            byCall.put(decision.toolCallId(), decision);
        }
        return new AgentJob(jobId, "trace", (ObjectNode) JSON.readTree(definition),
                (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"split it three ways\"}]}"),
                JobLimits.NONE, byCall);
    }

    /** The model calls of one conversation, by system prompt, in the order of their turns. */
    /**
     * The server notes a call's timing once its handler has closed the exchange, which can be
     * after the engine read the answer and moved on: wait until every request it took is noted.
     */
    private List<ScriptedModelServer.Timing> callsOf(String systemPrompt) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> model.timings().size() == model.requests().size());
        return model.timings().stream().filter(t -> t.body() != null && systemOf(t.body()).equals(systemPrompt))
                .sorted(java.util.Comparator.comparingInt(t -> turnOf(t.body()))).toList();
    }

    /** How many times each conversation's turn was asked of the model: "You are A.#0" and so on. */
    private Map<String, Integer> requestsPerTurn() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        model.requests().forEach(r -> counts.merge(systemOf(r) + "#" + turnOf(r), 1, Integer::sum));
        return counts;
    }

    private Map<String, Integer> onceEach() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        scripts.forEach((system, script) -> {
            for (int turn = 0; turn < script.size(); turn++) {
                expected.put(system + "#" + turn, 1);
            }
        });
        return expected;
    }

    private static int mostAtOnce(List<ScriptedModelServer.Timing> timings) {
        int most = 0;
        for (ScriptedModelServer.Timing t : timings) {
            most = Math.max(most, (int) timings.stream().filter(o -> o.arrivedNanos() <= t.arrivedNanos()
                    && t.arrivedNanos() < o.answeredNanos()).count());
        }
        return most;
    }

    @Test
    void threeSpecialistsOfOneTurnWorkAtOnceAndTheirResultsComeBackInTheModelsOrder() throws Exception {
        latencyMillis = 500;
        model.answerWith(this::answer);

        AgentOutcome outcome = engine().run(job("job-fan", definition("")));

        assertThat(outcome.output()).isEqualTo("all done");
        List<ScriptedModelServer.Timing> a = callsOf("You are A."), b = callsOf("You are B."), c = callsOf("You are C.");
        assertThat(List.of(a, b, c)).allSatisfy(calls -> assertThat(calls).hasSize(3));
        for (int turn = 0; turn < 3; turn++) {
            assertThat(a.get(turn).overlaps(b.get(turn))).as("A's and B's call %d overlap", turn).isTrue();
            assertThat(b.get(turn).overlaps(c.get(turn))).as("B's and C's call %d overlap", turn).isTrue();
            assertThat(a.get(turn).overlaps(c.get(turn))).as("A's and C's call %d overlap", turn).isTrue();
        }
        JsonNode summing = callsOf("You lead.").get(1).body().path("messages");
        List<String> results = new ArrayList<>();
        summing.forEach(m -> {
            if (m.path("role").asText().equals("tool")) {
                results.add(m.path("tool_call_id").asText() + "=" + m.path("content").asText());
            }
        });
        assertThat(results).containsExactly("ta=A done", "tb=B done", "tc=C done");
        DeepAgentState last = new DeepAgentState(saver.get(RunnableConfig.builder().threadId("job-fan").build()).orElseThrow().getState());
        assertThat(last.files()).containsOnlyKeys("/A.md", "/B.md", "/C.md");
        assertThat(last.steps()).as("2 + 3 x 3 model calls, 3 tasks and 3 x 2 tool executions").isEqualTo(20);
        assertThat(outcome.agents()).extracting(u -> u.agent() + " " + u.modelCalls() + "/" + u.toolCalls())
                .containsExactly("lead 2/3", "a 3/2", "b 3/2", "c 3/2");
        assertThat(probes).containsOnlyKeys("a1", "b1", "c1").allSatisfy((id, n) -> assertThat(n).hasValue(1));
        assertThat(events.typesOf("job-fan")).filteredOn("end"::equals).hasSize(1);
    }

    @Test
    void noMoreCallsThanTheBoundWorkAtOnce() throws Exception {
        latencyMillis = 200;
        model.answerWith(this::answer);

        AgentOutcome outcome = engine(Map.of("AGENT_MAX_PARALLEL_TOOL_CALLS", "2"), JobControl.Lookup.NONE)
                .run(job("job-bound", definition("")));

        assertThat(outcome.output()).isEqualTo("all done");
        assertThat(mostAtOnce(model.timings())).as("model calls at once").isEqualTo(2);
        assertThat(mostProbesAtOnce.get()).as("tool executions at once").isLessThanOrEqualTo(2);
        assertThat(requestsPerTurn()).isEqualTo(onceEach());
    }

    @Test
    void aBranchThatFailsAnswersWithItsErrorWhileItsSiblingsComplete() throws Exception {
        model.answerWith(this::answer);
        probe = (callId, arguments) -> {
            if (callId.equals("b1")) {
                throw new IllegalStateException("B's probe broke");
            }
            return "probed " + arguments;
        };

        AgentOutcome outcome = engine().run(job("job-isolated", definition("")));

        assertThat(outcome.output()).isEqualTo("all done");
        String summing = callsOf("You lead.").get(1).body().toString();
        assertThat(summing).contains("A done", "C done",
                "Error: the specialist B failed: Tool 'probe' failed: B's probe broke");
        assertThat(callsOf("You are A.")).hasSize(3);
        assertThat(callsOf("You are C.")).hasSize(3);
        assertThat(callsOf("You are B.")).as("B stopped at its broken tool").hasSize(1);
    }

    @Test
    void twoBranchesWritingTheSameFileLeaveTheLaterCallsVersionAndItsResultSaysSo() throws Exception {
        scripts.put("You are A.", specialist("A", "/shared.md"));
        scripts.put("You are C.", specialist("C", "/shared.md"));
        model.answerWith(this::answer);

        engine().run(job("job-same-file", definition("")));

        DeepAgentState last = new DeepAgentState(saver.get(RunnableConfig.builder().threadId("job-same-file").build())
                .orElseThrow().getState());
        assertThat(((Map<?, ?>) last.files().get("/shared.md")).get("content")).isEqualTo(List.of("C wrote this"));
        JsonNode summing = callsOf("You lead.").get(1).body().path("messages");
        List<String> results = new ArrayList<>();
        summing.forEach(m -> results.add(m.path("content").asText()));
        assertThat(results).contains("A done", "B done",
                "C done\n\nNote: this call overwrote /shared.md, which call ta (task) of the same turn wrote; this call's version is kept.");
    }

    @Test
    void aFaultInOneBranchLetsTheOthersCheckpointTheirStepAndAnotherEngineResumesWithoutRepeatingAny() throws Exception {
        model.answerWith(this::answer);
        CountDownLatch siblingsAtWork = new CountDownLatch(2);
        probe = (callId, arguments) -> {
            if (callId.equals("b1") && probes.get("b1").get() == 1) {
                try {
                    // A's and C's probes are running: the fault lands while they are mid-step
                    siblingsAtWork.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new InfrastructureFault("probe-service", "the probe service is down", null);
            }
            siblingsAtWork.countDown();
            return "probed " + arguments;
        };

        assertThatThrownBy(() -> engine().run(job("job-fault", definition(""))))
                .isInstanceOf(InfrastructureFault.class).hasMessage("the probe service is down");
        assertThat(events.typesOf("job-fault")).doesNotContain("end", "error");
        assertThat(probes.get("a1")).hasValue(1);

        AgentOutcome outcome = engine().run(job("job-fault", definition("")));

        assertThat(outcome.output()).isEqualTo("all done");
        assertThat(requestsPerTurn()).as("no model call of any branch was made twice").isEqualTo(onceEach());
        assertThat(probes.get("a1")).as("A's finished probe did not run again").hasValue(1);
        assertThat(probes.get("c1")).hasValue(1);
        assertThat(probes.get("b1")).as("the faulted probe ran again, once").hasValue(2);
        assertThat(events.typesOf("job-fault")).filteredOn("end"::equals).hasSize(1);
    }

    @Test
    void aCallInsideABranchThatNeedsApprovalParksTheJobAndTheResumeContinuesThatBranch() throws Exception {
        latencyMillis = 200; // A and C are still at work when B parks: they stop after the step they are in
        model.answerWith(this::answer);
        String gated = definition(", \"interrupt_on\": {\"probe\": true}");

        AgentOutcome parked = engine().run(job("job-gate", gated));

        assertThat(parked.isParked()).isTrue();
        assertThat(parked.interrupts()).extracting(Interrupt::toolCallId, Interrupt::agent, Interrupt::tool)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b1", "b", "probe"));
        assertThat(probes).doesNotContainKey("b1");
        assertThat(events.typesOf("job-gate")).contains("interrupt").doesNotContain("end", "error");

        int callsAtPark = model.calls();
        AgentOutcome again = engine().run(job("job-gate", gated));
        assertThat(again.interrupts()).as("a redelivery without decisions parks again").hasSize(1);
        assertThat(model.calls()).as("before any sibling takes a step").isEqualTo(callsAtPark);

        AgentOutcome done = engine().run(job("job-gate", gated, new Decision("b1", Decision.Type.APPROVE, null, null)));

        assertThat(done.output()).isEqualTo("all done");
        assertThat(probes.get("b1")).hasValue(1);
        assertThat(requestsPerTurn()).as("no model call repeated across parking, redelivery and resume").isEqualTo(onceEach());
        assertThat(events.typesOf("job-gate")).containsSubsequence("interrupt", "decision", "end");
    }

    @Test
    void aCancelDuringAFanOutStopsEveryBranch() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        AtomicInteger specialistCalls = new AtomicInteger();
        model.answerWith(call -> {
            if (!systemOf(call.body()).equals("You lead.")) {
                specialistCalls.incrementAndGet();
                try {
                    stuck.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer(call);
        });
        StoppableControl control = new StoppableControl();
        AgentEngine engine = engine(Map.of(), jobId -> control);
        List<Throwable> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread job = Thread.ofPlatform().start(() -> {
            control.thread = Thread.currentThread();
            try {
                engine.run(job("job-cancel", definition("")));
            } catch (Throwable e) {
                thrown.add(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> specialistCalls.get() == 3);

        control.stop(new Cancelled("the user gave up"));
        job.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(job.isAlive()).isFalse();
        assertThat(thrown).singleElement().isInstanceOf(Cancelled.class);
        stuck.countDown();
        Thread.sleep(300);
        assertThat(model.calls()).as("no branch made another call").isEqualTo(4);
        assertThat(probes).isEmpty();
        assertThat(events.of("job-cancel").getLast().type()).isEqualTo("error");
    }

    /** Job control as RunningJob keeps it: the first stop wins and interrupts the job's own thread. */
    private static final class StoppableControl implements JobControl {
        volatile Thread thread;
        private volatile JobFailure stop;

        void stop(JobFailure why) {
            stop = why;
            thread.interrupt();
        }

        @Override
        public void check() {
            if (stop != null) {
                throw stop;
            }
        }

        @Override
        public Optional<JobFailure> stopped() {
            return Optional.ofNullable(stop);
        }
    }
}
