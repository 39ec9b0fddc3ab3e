package io.bizmatters.agentexecutor.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.testsupport.RedisServerProcess;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamEntry;

/** The replayable stream langgraph:events:{job_id} against a real Redis-compatible server. */
class ReplayableStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static String newJobId() {
        return "job-" + UUID.randomUUID();
    }

    private static DragonflyJobEventPublisher publisher(int port, StreamSettings streams, MeterRegistry meters) {
        DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(new DragonflySettings("127.0.0.1", port, null),
                streams, meters);
        publisher.start();
        return publisher;
    }

    private static List<JsonNode> stream(int port, String jobId) throws Exception {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            List<StreamEntry> entries = jedis.xrange(ReplayableStream.key(jobId), "-", "+");
            return entries.stream().map(entry -> {
                try {
                    JsonNode event = JSON.readTree(entry.getFields().get(ReplayableStream.EVENT_FIELD));
                    assertThat(entry.getID().getTime()).as("the entry id is the seq").isEqualTo(event.path("seq").asLong());
                    assertThat(entry.getFields().get(ReplayableStream.TYPE_FIELD)).isEqualTo(event.path("event_type").asText());
                    return event;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }

    private static List<Long> seqs(List<JsonNode> events) {
        return events.stream().map(e -> e.path("seq").asLong()).toList();
    }

    @Test
    void seqGoesOnAcrossRedeliveriesAndPublisherRestartsAndALateReaderGetsEverythingOnce() throws Exception {
        int port = TestServers.dragonflyPort();
        String jobId = newJobId();
        try (DragonflyJobEventPublisher first = publisher(port, StreamSettings.DEFAULTS, new SimpleMeterRegistry())) {
            JobEvents delivery = first.forJob(jobId);
            delivery.introduceAgents(Map.of("lead", "Lead"), "lead");
            delivery.llmToken("lead", "one");
            delivery.retrying("openai is unavailable", 1, 10L);
            JobEvents redelivery = first.forJob(jobId);
            assertThat(redelivery).as("a new delivery gets a new stream object").isNotSameAs(delivery);
            redelivery.llmToken("lead", "two");
        }
        try (DragonflyJobEventPublisher restarted = publisher(port, StreamSettings.DEFAULTS, new SimpleMeterRegistry())) {
            JobEvents onAnotherPod = restarted.forJob(jobId);
            onAnotherPod.llmToken("lead", "three");
            onAnotherPod.end();
            await().atMost(PATIENCE).until(() -> stream(port, jobId).size() == 5);
        }

        List<JsonNode> events = stream(port, jobId);
        assertThat(seqs(events)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events).extracting(e -> e.path("event_type").asText())
                .containsExactly("on_llm_stream", "on_retry", "on_llm_stream", "on_llm_stream", "end");
        assertThat(events.get(1).path("data")).isEqualTo(JSON.readTree("""
                {"job_id":"%s","status":"retrying","reason":"openai is unavailable","delivery_count":1,
                 "next_attempt_in_seconds":10}""".formatted(jobId)));
        assertThat(events.get(1).at("/agent/name").asText()).isEqualTo("Lead");
        assertThat(events).extracting(e -> e.at("/data/content").asText("")).containsSubsequence("one", "two", "three");
    }

    @Test
    void aLongStreamIsTrimmedToAboutItsBoundAndExpiresAfterTheRetentionOnceTerminal() throws Exception {
        String jobId = newJobId();
        try (RedisServerProcess dragonfly = RedisServerProcess.onFreePortWith("--stream-node-max-entries", "4").start();
             DragonflyJobEventPublisher publisher = publisher(dragonfly.port(), new StreamSettings(10, Duration.ofSeconds(2)),
                     new SimpleMeterRegistry());
             Jedis jedis = new Jedis("127.0.0.1", dragonfly.port())) {
            JobEvents events = publisher.forJob(jobId);
            for (int i = 0; i < 200; i++) {
                events.llmToken("lead", "t" + i);
            }
            await().atMost(PATIENCE).until(() -> !stream(dragonfly.port(), jobId).isEmpty()
                    && stream(dragonfly.port(), jobId).getLast().path("seq").asLong() == 200);
            assertThat(jedis.ttl(ReplayableStream.key(jobId))).as("tokens alone set no expiry").isEqualTo(-1);
            List<Long> kept = seqs(stream(dragonfly.port(), jobId));
            assertThat(kept.size()).isBetween(10, 10 + 4);
            assertThat(kept).containsExactlyElementsOf(LongStream.rangeClosed(kept.getFirst(), 200).boxed().toList());

            events.end();
            await().atMost(PATIENCE).until(() -> jedis.ttl(ReplayableStream.key(jobId)) > 0);
            await().atMost(PATIENCE).until(() -> !jedis.exists(ReplayableStream.key(jobId)));
        }
    }

    @Test
    void aDragonflyOutageLeavesAGapThatSeqShowsAndLosesNothingElse(@TempDir Path data) throws Exception {
        String jobId = newJobId();
        MeterRegistry meters = new SimpleMeterRegistry();
        try (RedisServerProcess dragonfly = RedisServerProcess.onFreePortWith("--appendonly", "yes", "--appendfsync", "always",
                "--dir", data.toString()).start();
             DragonflyJobEventPublisher publisher = publisher(dragonfly.port(), StreamSettings.DEFAULTS, meters)) {
            JobEvents events = publisher.forJob(jobId);
            for (int i = 0; i < 5; i++) {
                events.llmToken("lead", "before" + i);
            }
            await().atMost(PATIENCE).until(() -> stream(dragonfly.port(), jobId).size() == 5);

            dragonfly.kill();
            int lost = 0;
            while (meters.find("agent_executor_redis_publish_errors_total").counter().count() == 0) {
                events.llmToken("lead", "during" + lost++);
                Thread.sleep(20);
            }
            dragonfly.start();
            for (int i = 0; i < 5; i++) {
                events.llmToken("lead", "after" + i);
            }
            events.end();
            await().atMost(PATIENCE).until(() -> !stream(dragonfly.port(), jobId).isEmpty()
                    && stream(dragonfly.port(), jobId).getLast().path("event_type").asText().equals("end"));

            List<JsonNode> kept = stream(dragonfly.port(), jobId);
            List<Long> seqs = seqs(kept);
            long failed = (long) meters.find("agent_executor_redis_publish_errors_total").counter().count();
            long emitted = 5 + lost + 5 + 1;
            assertThat(seqs.getLast()).as("every emitted event used up its number").isEqualTo(emitted);
            assertThat(seqs).doesNotHaveDuplicates().isSorted();
            assertThat(emitted - seqs.size()).as("the gap is exactly the events lost in the outage").isEqualTo(failed);
            assertThat(seqs.subList(0, 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(kept).extracting(e -> e.at("/data/content").asText(""))
                    .contains("before0", "before4", "after0", "after1", "after2", "after3", "after4");
            assertThat(seqs.get(5)).as("a reader sees where events are missing").isGreaterThan(6L);
        }
    }
}
