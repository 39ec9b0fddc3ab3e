package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RedisServerProcess;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.SseClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * POST / with Prefer: respond-async, GET /jobs, the console's files, and a trimmed stream that
 * replays from a snapshot, then expires: the whole service on a Dragonfly of this test's own, whose
 * small stream nodes let MAXLEN ~ trim a short job.
 */
class WatchingEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void anAsyncJobIsListedWatchedToItsEndAndItsTrimmedStreamReplaysFromASnapshotUntilItExpires() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (RedisServerProcess dragonfly = RedisServerProcess.onFreePortWith("--stream-node-max-entries", "2").start();
             OpenAiTestServer model = new OpenAiTestServer();
             RunningService service = RunningService.start(Map.of("DRAGONFLY_PORT", Integer.toString(dragonfly.port()),
                     "STREAM_MAX_EVENTS", "6", "STREAM_RETENTION_SECONDS", "3",
                     "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create);
             Jedis jedis = new Jedis("127.0.0.1", dragonfly.port())) {
            Instant before = Instant.now().minusSeconds(1);
            model.enqueue(MultiAgentJob.script());
            HttpResponse<String> accepted = service.post(MultiAgentJob.cloudEvent(jobId),
                    "Content-Type", "application/cloudevents+json", "Prefer", "respond-async");

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(JSON.readTree(accepted.body())).isEqualTo(JSON.createObjectNode().put("job_id", jobId)
                    .put("events", "/jobs/" + jobId + "/events"));
            assertThat(accepted.headers().firstValue("Preference-Applied")).hasValue("respond-async");
            List<SseClient.Event> live = SseClient.connect(HttpClient.newHttpClient(),
                    service.uri("/jobs/" + jobId + "/events")).awaitEnd(PATIENCE);
            assertThat(live.getLast().type()).isEqualTo("end");

            // The stream's end is sent by the engine, just before the route records the result in the row.
            String completedSince = "?status=completed&since=" + before + "&limit=5";
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(jobs(service, completedSince))
                    .extracting(j -> j.path("job_id").asText()).contains(jobId));
            JsonNode listed = jobs(service, completedSince);
            JsonNode row = StreamSupport.stream(listed.spliterator(), false)
                    .filter(j -> j.path("job_id").asText().equals(jobId)).findFirst().orElseThrow();
            assertThat(row.path("status").asText()).isEqualTo("completed");
            assertThat(row.path("tokens").asInt()).isEqualTo(MultiAgentJob.TOKENS);
            assertThat(row.path("duration_seconds").asDouble()).isPositive();
            assertThat(jobs(service, "?status=running&since=" + before)).noneMatch(j -> j.path("job_id").asText().equals(jobId));
            assertThat(service.get("/jobs?status=paused").statusCode()).isEqualTo(400);
            assertThat(service.get("/jobs?limit=0").body()).contains("\"field\":\"limit\"");

            List<SseClient.Event> replay = SseClient.connect(HttpClient.newHttpClient(),
                    service.uri("/jobs/" + jobId + "/events")).awaitEnd(PATIENCE);
            SseClient.Event snapshot = replay.getFirst();
            assertThat(snapshot.type()).isEqualTo("snapshot");
            JsonNode data = snapshot.json().path("data");
            assertThat(data.at("/replaces/from").asLong()).isEqualTo(1);
            assertThat(data.at("/replaces/to").asLong()).isEqualTo(replay.get(1).seq() - 1).isEqualTo(snapshot.seq());
            assertThat(data.path("files").has("/haiku.md")).isTrue();
            assertThat(data.path("messages").toString()).contains(MultiAgentJob.FINAL_ANSWER);
            assertThat(replay.subList(1, replay.size())).extracting(SseClient.Event::data)
                    .containsExactlyElementsOf(live.subList(live.size() - (replay.size() - 1), live.size()).stream()
                            .map(SseClient.Event::data).toList());

            await().atMost(Duration.ofSeconds(30)).until(() -> !jedis.exists("langgraph:events:" + jobId));
            SseClient expired = SseClient.connect(HttpClient.newHttpClient(), service.uri("/jobs/" + jobId + "/events"));
            assertThat(expired.status()).isEqualTo(410);
            assertThat(expired.body(PATIENCE)).contains("GET /jobs/" + jobId);
        }
    }

    @Test
    void aModelOutageTellsWatchersThatTheJobWillRunAgainAndKeepsTheirStreamOpen() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (OpenAiTestServer model = new OpenAiTestServer();
             RunningService service = RunningService.start(Map.of("OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl(),
                     "AGENT_MODEL_MAX_RETRIES", "1", "AGENT_MODEL_RETRY_BACKOFF_MILLIS", "1"), EngineAssembly::create)) {
            model.enqueue(OpenAiTestServer.failure(503), OpenAiTestServer.failure(503));
            SseClient watcher = SseClient.connect(HttpClient.newHttpClient(), service.uri("/jobs/" + jobId + "/events?wait=60"));

            HttpResponse<String> response = service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            await().atMost(PATIENCE).until(() -> watcher.events().stream().anyMatch(e -> e.type().equals("on_retry")));
            SseClient.Event retry = watcher.events().getLast();
            assertThat(retry.type()).isEqualTo("on_retry");
            assertThat(retry.json().at("/agent/name").asText()).isEqualTo("Lead");
            JsonNode data = retry.json().path("data");
            assertThat(data.path("job_id").asText()).isEqualTo(jobId);
            assertThat(data.path("status").asText()).isEqualTo("retrying");
            assertThat(data.path("delivery_count").asLong()).isEqualTo(1);
            assertThat(data.path("next_attempt_in_seconds").isNull()).as("over HTTP the caller decides when").isTrue();
            assertThat(data.path("reason").asText()).contains("unavailable");
            Thread.sleep(500);
            assertThat(watcher.hasEnded()).as("a job that will run again is not over").isFalse();
        }
    }

    @Test
    void theConsoleIsServedFromTheJarUnderAStrictContentSecurityPolicy() throws Exception {
        try (RunningService service = RunningService.start(Map.of(), EngineAssembly::create)) {
            HttpResponse<String> page = service.get("/console/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'none'", "script-src 'self'", "style-src 'self'").doesNotContain("unsafe"));
            assertThat(page.body()).contains("<script src=\"/console/console.js\"></script>").doesNotContain("<script>", "style=");
            assertThat(service.get("/console").body()).isEqualTo(page.body());
            assertThat(service.get("/console/console.js").headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            assertThat(service.get("/console/console.css").statusCode()).isEqualTo(200);
            assertThat(service.get("/console/../application.properties").statusCode()).isEqualTo(404);
        }
    }

    private static JsonNode jobs(RunningService service, String query) throws Exception {
        HttpResponse<String> response = service.get("/jobs" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("jobs");
    }
}
