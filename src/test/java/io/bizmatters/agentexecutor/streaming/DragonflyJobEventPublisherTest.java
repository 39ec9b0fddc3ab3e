package io.bizmatters.agentexecutor.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.testsupport.RedisServerProcess;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The publisher against a real Redis-compatible server, watched the way ide-orchestrator watches. */
class DragonflyJobEventPublisherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static String newJobId() {
        return "job-" + UUID.randomUUID();
    }

    private static double count(MeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void everyEventTypeArrivesInOrderWithItsDocumentedShape() throws Exception {
        int port = TestServers.dragonflyPort();
        String jobId = newJobId();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(
                new DragonflySettings("127.0.0.1", port, ""), StreamSettings.DEFAULTS, meters);
             ChannelSubscriber watcher = ChannelSubscriber.subscribe(port, "langgraph:stream:" + jobId)) {
            publisher.start();
            JobEvents events = publisher.forJob(jobId);
            events.introduceAgents(Map.of("orchestrator", "Lead", "writer", "Writer"), "orchestrator");

            events.llmToken("orchestrator", "Hello");
            events.llmToolCallChunk("orchestrator", 0, "call_1", "write_file", "{\"path\":");
            events.toolCall("orchestrator", "call_1", "write_file", "{\"path\":\"/a.md\",\"content\":\"hi\"}");
            events.toolResult("writer", "call_1", "write_file", "Updated file /a.md");
            events.stateUpdate("tools", "writer", List.of(Map.of("role", "user", "content", "hi")),
                    Map.of("/a.md", Map.of("content", List.of("hi"), "created_at", "2026-11-27T14:00:00Z",
                            "modified_at", "2026-11-27T14:00:00Z")),
                    List.of(Map.of("content", "write a.md", "status", "completed")));
            events.end();

            await().atMost(PATIENCE).until(() -> watcher.messages().size() == 6);
            List<String> received = watcher.messages();
            String raw = "{'thread_id': '" + jobId + "', 'langgraph_node': 'orchestrator'}";
            assertThat(received).allSatisfy(message -> assertThat(message).startsWith("{\"event_type\":"));
            assertEvent(received.get(0), 1, "orchestrator", "Lead", """
                    {"event_type":"on_llm_stream","data":{"node":"orchestrator","content":"Hello",
                     "raw_event":"(AIMessageChunk(content='Hello', additional_kwargs={}, response_metadata={}, tool_call_chunks=[]), %s)"}}
                    """.formatted(raw));
            assertEvent(received.get(1), 2, "orchestrator", "Lead", """
                    {"event_type":"on_llm_stream","data":{"node":"orchestrator","content":"",
                     "tool_call_chunks":[{"index":0,"id":"call_1","name":"write_file","args":"{\\"path\\":"}],
                     "raw_event":"(AIMessageChunk(content='', additional_kwargs={}, response_metadata={}, tool_call_chunks=[{'name': 'write_file', 'args': '{\\"path\\":', 'id': 'call_1', 'index': 0, 'type': 'tool_call_chunk'}]), %s)"}}
                    """.formatted(raw));
            assertEvent(received.get(2), 3, "orchestrator", "Lead", """
                    {"event_type":"on_tool_start","data":{"node":"orchestrator","tool_call_id":"call_1","name":"write_file",
                     "input":{"path":"/a.md","content":"hi"}}}""");
            assertEvent(received.get(3), 4, "writer", "Writer", """
                    {"event_type":"on_tool_end","data":{"node":"writer","tool_call_id":"call_1","name":"write_file",
                     "output":"Updated file /a.md"}}""");
            assertEvent(received.get(4), 5, "writer", "Writer", """
                    {"event_type":"on_state_update","data":{"node":"tools",
                     "messages":[{"role":"user","content":"hi"}],
                     "files":{"/a.md":{"content":["hi"],"created_at":"2026-11-27T14:00:00Z","modified_at":"2026-11-27T14:00:00Z"}},
                     "todos":[{"content":"write a.md","status":"completed"}]}}""");
            assertEvent(received.get(5), 6, "orchestrator", "Lead", """
                    {"event_type":"end","data":{"job_id":"%s","status":"completed"}}""".formatted(jobId));

            await().atMost(PATIENCE).until(() -> count(meters, "agent_executor_redis_publish_total") == 6);
            assertThat(meters.scrape())
                    .contains("agent_executor_redis_publish_total{event_type=\"end\"} 1.0")
                    .contains("agent_executor_redis_publish_total{event_type=\"on_llm_stream\"} 2.0")
                    .contains("agent_executor_redis_publish_errors_total 0.0");
        }
    }

    @Test
    void aFailedRunEndsWithAnErrorEventThatOldReadersUnderstand() throws Exception {
        int port = TestServers.dragonflyPort();
        String jobId = newJobId();
        try (DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(
                new DragonflySettings("127.0.0.1", port, null), StreamSettings.DEFAULTS, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
             ChannelSubscriber watcher = ChannelSubscriber.subscribe(port, "langgraph:stream:" + jobId)) {
            publisher.start();
            publisher.forJob(jobId).error("model gpt-4.1-mini needs OPENAI_API_KEY", "JobFailure");

            await().atMost(PATIENCE).until(() -> watcher.messages().size() == 1);
            JsonNode error = JSON.readTree(watcher.messages().getFirst());
            assertThat(error.path("event_type").asText()).isEqualTo("error");
            assertThat(error.path("agent").isNull()).as("no definition was read, so no agent is known").isTrue();
            assertThat(error.path("data")).isEqualTo(JSON.readTree("{\"error\":\"model gpt-4.1-mini needs OPENAI_API_KEY\","
                    + "\"type\":\"JobFailure\",\"job_id\":\"" + jobId + "\",\"status\":\"failed\"}"));
        }
    }

    @Test
    void closeFlushesEverythingAlreadyQueuedAndKeepsTheOrder() throws Exception {
        int port = TestServers.dragonflyPort();
        String jobId = newJobId();
        MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ChannelSubscriber watcher = ChannelSubscriber.subscribe(port, "langgraph:stream:" + jobId)) {
            DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(
                    new DragonflySettings("127.0.0.1", port, null), StreamSettings.DEFAULTS, meters);
            publisher.start();
            JobEvents events = publisher.forJob(jobId);
            for (int i = 0; i < 2_000; i++) {
                events.llmToken("orchestrator", Integer.toString(i));
            }
            events.end();
            publisher.close();

            assertThat(count(meters, "agent_executor_redis_publish_total")).isEqualTo(2_001);
            await().atMost(PATIENCE).until(() -> watcher.messages().size() == 2_001);
            List<String> received = watcher.messages();
            for (int i = 0; i < 2_000; i++) {
                assertThat(JSON.readTree(received.get(i)).at("/data/content").asText()).isEqualTo(Integer.toString(i));
            }
            assertThat(JSON.readTree(received.getLast()).path("event_type").asText()).isEqualTo("end");
        }
    }

    @Test
    void anOutageCostsOnlyTheStreamAndThePublisherRecoversWhenDragonflyReturns() throws Exception {
        MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String jobId = newJobId();
        try (RedisServerProcess dragonfly = RedisServerProcess.onFreePort().start();
             DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(
                     new DragonflySettings("127.0.0.1", dragonfly.port(), null), StreamSettings.DEFAULTS, meters)) {
            publisher.start();
            JobEvents events = publisher.forJob(jobId);
            try (ChannelSubscriber watcher = ChannelSubscriber.subscribe(dragonfly.port(), "langgraph:stream:" + jobId)) {
                events.llmToken("orchestrator", "before");
                await().atMost(PATIENCE).until(() -> watcher.messages().size() == 1);
            }

            dragonfly.kill();
            await().atMost(PATIENCE).untilAsserted(() -> {
                events.llmToken("orchestrator", "during");
                events.stateUpdate("agent", "orchestrator", List.of(), Map.of(), List.of());
                assertThat(count(meters, "agent_executor_redis_publish_errors_total")).isGreaterThan(0);
            });

            dragonfly.start();
            try (ChannelSubscriber watcher = ChannelSubscriber.subscribe(dragonfly.port(), "langgraph:stream:" + jobId)) {
                await().atMost(PATIENCE).untilAsserted(() -> {
                    events.llmToken("orchestrator", "after");
                    assertThat(watcher.messages()).anySatisfy(m -> assertThat(m).contains("\"content\":\"after\""));
                });
            }
        }
    }

    @Test
    void withNothingListeningEveryCallReturnsAndEveryEventIsCounted() {
        MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(
                new DragonflySettings("127.0.0.1", TestServers.freePort(), "secret"), StreamSettings.DEFAULTS, meters, 100)) {
            publisher.start();
            JobEvents events = publisher.forJob(newJobId());
            for (int i = 0; i < 1_000; i++) {
                events.llmToken("orchestrator", "t" + i);
            }
            events.error("boom", "JobFailure");

            await().atMost(PATIENCE).until(() -> count(meters, "agent_executor_redis_publish_errors_total")
                    + count(meters, "agent_executor_redis_publish_dropped_total") == 1_001);
            assertThat(count(meters, "agent_executor_redis_publish_total")).isZero();
        }
    }

    /** The contract's fields exactly as before ({@code event_type} first, {@code data}), plus seq, ts and agent. */
    private static void assertEvent(String actual, long seq, String agentId, String agentName, String expected) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(actual);
        assertThat(tree.fieldNames()).toIterable().containsExactly("event_type", "seq", "ts", "agent", "data");
        assertThat(tree.remove("seq").asLong()).isEqualTo(seq);
        assertThat(Instant.parse(tree.remove("ts").asText())).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(tree.remove("agent")).isEqualTo(JSON.createObjectNode().put("id", agentId).put("name", agentName));
        assertThat(tree).isEqualTo(JSON.readTree(expected));
    }
}
