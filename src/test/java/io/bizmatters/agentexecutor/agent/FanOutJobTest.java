package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job whose orchestrator hands three specialists a task each in one turn, through the whole
 * service: what it writes to the checkpoints table, and a pod that stops in the middle of the
 * fan-out while another pod takes the job over. Each specialist counts words with the shipped
 * {@code word_count} route, writes a file and answers; the model answers each conversation by its
 * system prompt and its number of turns, since the specialists' calls arrive in no fixed order.
 */
class FanOutJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECIALISTS = List.of("A", "B", "C");

    private final OpenAiTestServer model = new OpenAiTestServer();

    @AfterEach
    void stopServer() {
        model.close();
    }

    private static ScriptedModelServer.Reply reply(JsonNode request) {
        String system = request.at("/messages/0/content").asText();
        int turn = 0;
        for (JsonNode message : request.path("messages")) {
            turn += "assistant".equals(message.path("role").asText()) ? 1 : 0;
        }
        if (system.equals("You lead.")) {
            return turn == 0 ? toolCalls(SPECIALISTS.stream().map(name -> call("t" + name, "task",
                    Map.of("subagent_type", name, "description", "Count the words of: " + name + " is here"))).toArray(ScriptedModelServer.Call[]::new))
                    : text("all three done");
        }
        String name = system.substring("You are ".length(), system.length() - 1);
        return switch (turn) {
            case 0 -> toolCalls(call(name + "1", "word_count", Map.of("text", name + " is here")));
            case 1 -> toolCalls(call(name + "2", "write_file", Map.of("file_path", "/" + name + ".md", "content", name)));
            default -> text(name + " done");
        };
    }

    private static String turnKey(JsonNode request) {
        int turn = 0;
        for (JsonNode message : request.path("messages")) {
            turn += "assistant".equals(message.path("role").asText()) ? 1 : 0;
        }
        return request.at("/messages/0/content").asText() + "#" + turn;
    }

    private static String cloudEvent(String jobId) {
        ObjectNode definition = JSON.createObjectNode();
        ArrayNode nodes = definition.putArray("nodes");
        ObjectNode lead = nodes.addObject().put("id", "lead").put("type", "Orchestrator").putObject("config");
        lead.put("name", "Lead").put("system_prompt", "You lead.").putObject("model").put("provider", "openai").put("model", "gpt-test");
        for (String name : SPECIALISTS) {
            ObjectNode config = nodes.addObject().put("id", name.toLowerCase()).put("type", "Specialist").putObject("config");
            config.put("name", name).put("description", "specialist " + name).put("system_prompt", "You are " + name + ".");
            config.putObject("model").put("provider", "openai").put("model", "gpt-test");
            config.putArray("tools").add("word_count");
        }
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("type", "dev.my-platform.agent.execute")
                .put("source", "nats://agent.execute.test").put("id", UUID.randomUUID().toString())
                .put("datacontenttype", "application/json");
        ObjectNode data = event.putObject("data").put("trace_id", "trace-" + jobId).put("job_id", jobId);
        data.set("agent_definition", definition);
        data.putObject("input_payload").putArray("messages").addObject().put("role", "user").put("content", "Split it three ways.");
        return event.toString();
    }

    /** Prints the figures docs/agent-engine.md quotes: checkpoint rows and write commits of the fan-out job. */
    @Test
    void aThreeSpecialistFanOutWritesARowPerStepOfEachBranch() throws Exception {
        model.answerWith(call -> reply(call.body()));
        String jobId = SampleJobs.newJobId();
        long commitsBefore;
        long commitsAfter;
        try (RunningService service = RunningService.start(Map.of("CHECKPOINT_RETENTION", "none",
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create)) {
            commitsBefore = databaseCommits();
            assertThat(service.post(cloudEvent(jobId), "Content-Type", "application/cloudevents+json").statusCode()).isEqualTo(200);
            commitsAfter = databaseCommits();
        }
        List<CheckpointRow> rows = CheckpointRow.of(jobId);
        long writeCommits = single("SELECT count(DISTINCT xmin::text) FROM checkpoints WHERE thread_id = '" + jobId + "'");
        System.out.printf("FANOUT 3-specialist job: %d model calls, %d checkpoint rows, %d checkpoint write commits,"
                + " %d database commits in all (pg_stat_database.xact_commit)%n", model.calls(), rows.size(), writeCommits,
                commitsAfter - commitsBefore);
        // The orchestrator: its 2 model calls and the join; each specialist: 3 model calls and 2 tool steps.
        assertThat(rows).hasSize(3 + 3 * 5);
        assertThat(writeCommits).isEqualTo(rows.size());
        assertThat(rows.getLast().lastMessage()).isEqualTo("all three done");
    }

    @Test
    void aPodStoppedMidFanOutIsTakenOverAndNoFinishedStepOfAnyBranchRunsAgain() throws Exception {
        CountDownLatch othersDone = new CountDownLatch(2);
        CountDownLatch heldArrived = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        model.answerWith(call -> {
            String key = turnKey(call.body());
            if (key.equals("You are B.#2") && held.compareAndSet(false, true)) {
                heldArrived.countDown();
                waitFor(othersDone);
                waitFor(new CountDownLatch(1), 60); // the pod stops while B's last call waits; it never answers
                return null;
            }
            ScriptedModelServer.Reply reply = reply(call.body());
            if (key.equals("You are A.#2") || key.equals("You are C.#2")) {
                othersDone.countDown();
            }
            return reply;
        });
        String jobId = SampleJobs.newJobId();
        TestServers.NatsServer nats = TestServers.NatsServer.start();
        Map<String, String> pod = Map.of("NATS_URL", nats.url(), "SHUTDOWN_GRACE_SECONDS", "1",
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl());
        try (StatusEvents status = StatusEvents.listen(nats.url()); Connection client = Nats.connect(nats.url());
             ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            RunningService stopping = RunningService.start(pod, EngineAssembly::create);
            client.jetStream().publish("agent.execute.test", cloudEvent(jobId).getBytes(StandardCharsets.UTF_8));
            assertThat(heldArrived.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(othersDone.await(30, TimeUnit.SECONDS)).isTrue();
            // A's and C's final answers are checkpointed in their branches before the pod goes.
            await().atMost(Duration.ofSeconds(10)).until(() -> CheckpointRow.of(jobId).stream()
                    .filter(row -> "__END__".equals(row.nextNodeId())).count() == 2);
            stopping.close();
            assertThat(status.forJob(jobId)).isEmpty();

            try (RunningService resuming = RunningService.start(pod, EngineAssembly::create)) {
                StatusEvents.Received completed = status.awaitFor(jobId);
                assertThat(completed.subject()).isEqualTo("agent.status.completed");
                assertThat(completed.event().at("/data/result/output").asText()).isEqualTo("all three done");
                JsonNode row = JSON.readTree(resuming.get("/jobs/" + jobId).body());
                assertThat(row.path("attempts").asInt()).isEqualTo(2);
                assertThat(row.at("/usage/model_calls").asInt()).as("the cut-off call is not booked").isEqualTo(11);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(CheckpointRow.of(jobId))
                        .as("the job's final row pruned every branch").hasSize(1));
            }
            assertThat(status.forJob(jobId)).as("exactly one result").hasSize(1);

            Map<String, Integer> perTurn = new LinkedHashMap<>();
            model.requests().forEach(r -> perTurn.merge(turnKey(r), 1, Integer::sum));
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put("You lead.#0", 1);
            for (String name : SPECIALISTS) {
                for (int turn = 0; turn < 3; turn++) {
                    expected.put("You are " + name + ".#" + turn, name.equals("B") && turn == 2 ? 2 : 1);
                }
            }
            expected.put("You lead.#1", 1);
            assertThat(perTurn).as("only the cut-off call was made again").isEqualTo(expected);
            Map<String, Long> toolStarts = new LinkedHashMap<>();
            StreamedEvent.of(stream).stream().filter(e -> e.is("on_tool_start"))
                    .forEach(e -> toolStarts.merge(e.toolCallId(), 1L, Long::sum));
            assertThat(toolStarts).as("every tool execution ran once, in both pods together")
                    .containsOnlyKeys("tA", "tB", "tC", "A1", "B1", "C1", "A2", "B2", "C2")
                    .allSatisfy((id, count) -> assertThat(count).isEqualTo(1L));
        } finally {
            nats.stop();
        }
    }

    private static void waitFor(CountDownLatch latch) {
        waitFor(latch, 30);
    }

    private static void waitFor(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Backends report their counters to pg_stat at most once a second: wait that out on both sides. */
    private static long databaseCommits() throws Exception {
        Thread.sleep(1_500);
        return single("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
    }

    private static long single(String sql) throws Exception {
        // pg_stat counters are per transaction snapshot: a fresh connection sees the latest
        try (java.sql.Connection c = TestServers.postgres().connect(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet row = s.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
