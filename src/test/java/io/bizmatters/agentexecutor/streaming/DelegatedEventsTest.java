package io.bizmatters.agentexecutor.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Events emitted through {@link JobEvents#withinTask} views, against a real Redis-compatible server:
 * each names its delegation on the channel and in the replayable stream, job-level events keep
 * their shape, and branches that emit at the same time keep their own order.
 */
class DelegatedEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final List<String> OLD_ENVELOPE = List.of("event_type", "seq", "ts", "agent", "data");
    private static final List<String> DELEGATED_ENVELOPE =
            List.of("event_type", "seq", "ts", "agent", "task_call_id", "parent_task_call_id", "data");

    @Test
    void everyEventOfADelegationNamesItsTaskCallAndTheOneItWasMadeIn() throws Exception {
        int port = TestServers.dragonflyPort();
        String jobId = "job-" + UUID.randomUUID();
        try (DragonflyJobEventPublisher publisher = publisher(port);
             ChannelSubscriber watcher = ChannelSubscriber.subscribe(port, "langgraph:stream:" + jobId)) {
            JobEvents job = publisher.forJob(jobId);
            job.introduceAgents(Map.of("orchestrator", "Lead", "researcher", "Researcher", "writer", "Writer",
                    "checker", "Checker"), "orchestrator");
            JobEvents research = job.withinTask("call_a");
            JobEvents writing = job.withinTask("call_b");
            JobEvents checking = research.withinTask("call_a1");

            job.toolCall("orchestrator", "call_a", "task", "{\"subagent_type\":\"Researcher\",\"description\":\"A\"}");
            job.toolCall("orchestrator", "call_b", "task", "{\"subagent_type\":\"Writer\",\"description\":\"B\"}");
            research.llmToken("researcher", "Looking");
            writing.llmToolCallChunk("writer", 0, "w1", "write_file", "{\"path\":");
            research.toolCall("researcher", "call_a1", "task", "{\"subagent_type\":\"Checker\",\"description\":\"check\"}");
            checking.toolCall("checker", "c1", "word_count", "{\"text\":\"a b\"}");
            writing.toolResult("writer", "w1", "write_file", "Updated file /b.md");
            checking.stateUpdate("tools", "checker", List.of(), Map.of(), List.of());
            writing.decision("writer", "write_file", new Decision("w1", Decision.Type.APPROVE, null, null));
            research.toolResult("researcher", "call_a1", "task", "2 words");
            job.toolResult("orchestrator", "call_b", "task", "B done");
            writing.retrying("model down", 1, 10L);
            checking.end();

            await().atMost(PATIENCE).until(() -> watcher.messages().size() == 13);
            List<JsonNode> channel = parsed(watcher.messages());
            assertThat(channel).isEqualTo(replayable(port, jobId));
            assertThat(channel).extracting(DelegatedEventsTest::delegation).containsExactly(
                    "-", "-", "call_a<-", "call_b<-", "call_a<-", "call_a1<call_a", "call_b<-", "call_a1<call_a",
                    "call_b<-", "call_a<-", "-", "-", "-");
            channel.forEach(event -> assertThat(event.fieldNames()).toIterable()
                    .as(event.toString()).containsExactlyElementsOf(event.has("task_call_id") ? DELEGATED_ENVELOPE : OLD_ENVELOPE));
            assertThat(channel.get(5).at("/agent/name").asText()).isEqualTo("Checker");
            assertThat(channel.get(11).path("event_type").asText()).as("job-level, though emitted in a branch").isEqualTo("on_retry");
            assertThat(channel.get(12).path("agent").path("id").asText()).as("the job's end is the orchestrator's").isEqualTo("orchestrator");
        }
    }

    @Test
    void branchesThatEmitAtOnceKeepTheirOwnOrder() throws Exception {
        int port = TestServers.dragonflyPort();
        String jobId = "job-" + UUID.randomUUID();
        int perBranch = 300;
        List<String> branches = List.of("call_1", "call_2", "call_3");
        try (DragonflyJobEventPublisher publisher = publisher(port);
             ChannelSubscriber watcher = ChannelSubscriber.subscribe(port, "langgraph:stream:" + jobId)) {
            JobEvents job = publisher.forJob(jobId);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (String branch : branches) {
                JobEvents view = job.withinTask(branch);
                threads.add(Thread.ofPlatform().start(() -> {
                    awaitQuietly(start);
                    IntStream.range(0, perBranch).forEach(i -> view.llmToken("specialist", branch + ":" + i));
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            job.end();

            await().atMost(PATIENCE).until(() -> watcher.messages().size() == branches.size() * perBranch + 1);
            List<JsonNode> events = replayable(port, jobId);
            assertThat(events).extracting(e -> e.path("seq").asLong())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).mapToObj(Long::valueOf).toList());
            for (String branch : branches) {
                assertThat(events).filteredOn(e -> branch.equals(e.path("task_call_id").asText()))
                        .extracting(e -> e.at("/data/content").asText())
                        .containsExactlyElementsOf(IntStream.range(0, perBranch).mapToObj(i -> branch + ":" + i).toList());
            }
            assertThat(events.getLast().has("task_call_id")).isFalse();
        }
    }

    private static DragonflyJobEventPublisher publisher(int port) {
        DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(new DragonflySettings("127.0.0.1", port, null),
                StreamSettings.DEFAULTS, new SimpleMeterRegistry());
        publisher.start();
        return publisher;
    }

    /** {@code task_call_id<parent_task_call_id}, {@code -} for none, so one line shows the tree. */
    private static String delegation(JsonNode event) {
        if (!event.has("task_call_id")) {
            return "-";
        }
        JsonNode parent = event.path("parent_task_call_id");
        return event.path("task_call_id").asText() + "<" + (parent.isNull() ? "-" : parent.asText());
    }

    private static List<JsonNode> parsed(List<String> messages) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String message : messages) {
            events.add(JSON.readTree(message));
        }
        return events;
    }

    private static List<JsonNode> replayable(int port, String jobId) throws Exception {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            return parsed(jedis.xrange(ReplayableStream.key(jobId), "-", "+").stream()
                    .map(entry -> entry.getFields().get(ReplayableStream.EVENT_FIELD)).toList());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
