package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.SseClient;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /jobs/{jobId}/events end to end: the whole service, a real HTTP client, the multi-agent job. */
class JobEventsSseTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static OpenAiTestServer model;
    private static RunningService service;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        model = new OpenAiTestServer();
        service = RunningService.start(Map.of("OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()),
                EngineAssembly::create);
    }

    @AfterAll
    static void stop() {
        service.close();
        model.close();
    }

    private static HttpResponse<String> runToTheEnd(String jobId) {
        model.enqueue(MultiAgentJob.script());
        HttpResponse<String> response = service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static SseClient watch(String jobId, String query, String... headers) {
        return SseClient.connect(HTTP, service.uri("/jobs/" + jobId + "/events" + query), headers);
    }

    @Test
    void aWatcherAfterTheEndGetsEveryEventOnceInOrderAsPubSubCarriedThem() throws Exception {
        String jobId = SampleJobs.newJobId();
        List<String> published;
        try (ChannelSubscriber channel = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            runToTheEnd(jobId);
            await().atMost(PATIENCE).until(() -> channel.messages().stream().anyMatch(m -> m.startsWith("{\"event_type\":\"end\"")));
            published = channel.messages();
        }

        SseClient late = watch(jobId, "");
        assertThat(late.status()).isEqualTo(200);
        List<SseClient.Event> events = late.awaitEnd(PATIENCE);

        assertThat(events).extracting(SseClient.Event::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, published.size()).boxed().toList());
        assertThat(events).extracting(SseClient.Event::data).containsExactlyElementsOf(published);
        assertThat(events).allSatisfy(e -> assertThat(e.json().path("seq").asLong()).isEqualTo(e.seq()));
        assertThat(events).allSatisfy(e -> assertThat(e.type()).isEqualTo(e.json().path("event_type").asText()));
        SseClient.Event end = events.getLast();
        assertThat(end.type()).isEqualTo("end");
        assertThat(end.json().path("data").path("job_id").asText()).isEqualTo(jobId);
        assertThat(end.json().path("data").path("status").asText()).isEqualTo("completed");
        assertThat(end.json().at("/agent/name").asText()).isEqualTo("Lead");
        assertThat(events).filteredOn(e -> e.type().equals("on_tool_start"))
                .extracting(e -> e.json().at("/agent/name").asText() + ":" + e.json().at("/data/name").asText())
                // write_todos and the Researcher's task run at once: either may start first
                .containsExactlyInAnyOrder("Lead:write_todos", "Lead:task", "Researcher:word_count", "Lead:task", "Writer:write_file")
                .containsSubsequence("Lead:task", "Researcher:word_count", "Lead:task", "Writer:write_file");
        assertThat(events).filteredOn(e -> e.type().equals("on_state_update") && e.json().at("/data/node").asText().equals("tools"))
                .extracting(e -> e.json().at("/agent/id").asText())
                // a specialist's tools step, then the orchestrator's join of the turn that delegated to it
                .containsExactly("researcher", "orchestrator", "writer", "orchestrator");
    }

    @Test
    void aReconnectWithLastEventIdOrAfterGetsTheRestOnce() throws Exception {
        String jobId = SampleJobs.newJobId();
        runToTheEnd(jobId);
        List<SseClient.Event> all = watch(jobId, "").awaitEnd(PATIENCE);
        long middle = all.size() / 2;

        List<SseClient.Event> resumed = watch(jobId, "", "Last-Event-ID", Long.toString(middle)).awaitEnd(PATIENCE);
        List<SseClient.Event> after = watch(jobId, "?after=" + middle).awaitEnd(PATIENCE);

        assertThat(resumed).extracting(SseClient.Event::data)
                .containsExactlyElementsOf(all.subList((int) middle, all.size()).stream().map(SseClient.Event::data).toList());
        assertThat(after).extracting(SseClient.Event::data).containsExactlyElementsOf(resumed.stream().map(SseClient.Event::data).toList());
    }

    @Test
    void aWatcherOfAJobNotYetArrivedWaitsForItAndFollowsItLive() throws Exception {
        String jobId = SampleJobs.newJobId();
        SseClient early = watch(jobId, "?wait=60");
        Thread.sleep(500);
        assertThat(early.hasEnded()).isFalse();

        runToTheEnd(jobId);

        assertThat(early.status()).isEqualTo(200);
        List<SseClient.Event> events = early.awaitEnd(PATIENCE);
        assertThat(events.getFirst().seq()).isEqualTo(1);
        assertThat(events).extracting(SseClient.Event::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events.getLast().type()).isEqualTo("end");
    }

    @Test
    void aParkedJobsStreamStaysOpenThroughItsInterruptAndARefusedResumeUntilItsEnd() throws Exception {
        String jobId = SampleJobs.newJobId();
        SseClient watcher = watch(jobId, "?wait=60");
        model.enqueue(ApprovalJob.oneInterrupt());
        HttpResponse<String> parked = service.post(ApprovalJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json");
        assertThat(parked.statusCode()).as(parked.body()).isEqualTo(202);

        await().atMost(PATIENCE).until(() -> watcher.events().stream().anyMatch(e -> e.type().equals("interrupt")));
        SseClient.Event interrupt = watcher.events().getLast();
        assertThat(interrupt.type()).isEqualTo("interrupt");
        assertThat(interrupt.json().at("/agent/name").asText()).isEqualTo("Lead");
        assertThat(interrupt.json().path("ts").asText()).isNotEmpty();
        assertThat(interrupt.json().at("/data/status").asText()).isEqualTo("interrupted");
        assertThat(interrupt.json().at("/data/interrupts/0/tool_call_id").asText()).isEqualTo("w1");
        Thread.sleep(500);
        assertThat(watcher.hasEnded()).as("the pause is not the end").isFalse();

        String resume = "/jobs/" + jobId + "/resume";
        assertThat(service.postTo(resume, ApprovalJob.decisions(jobId, ApprovalJob.approve("zz"))).statusCode()).isEqualTo(400);
        await().atMost(PATIENCE).until(() -> watcher.events().stream().anyMatch(e -> e.type().equals("resume_rejected")));
        assertThat(watcher.hasEnded()).as("a refused resume leaves the job waiting").isFalse();
        // A resume is answered once it is done, even when the sender prefers an asynchronous answer.
        HttpResponse<String> resumed = service.post(ApprovalJob.resumeEvent(jobId, ApprovalJob.approve("w1")),
                "Content-Type", "application/cloudevents+json", "Prefer", "respond-async");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);

        List<SseClient.Event> events = watcher.awaitEnd(PATIENCE);
        assertThat(events).extracting(SseClient.Event::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events).extracting(SseClient.Event::type).containsSubsequence("interrupt", "resume_rejected", "decision", "end");
        SseClient.Event decision = events.stream().filter(e -> e.type().equals("decision")).findFirst().orElseThrow();
        assertThat(decision.json().at("/agent/id").asText()).isEqualTo(decision.json().at("/data/node").asText());
        assertThat(decision.json().at("/data/type").asText()).isEqualTo("approve");
        assertThat(watch(jobId, "").awaitEnd(PATIENCE)).as("the replayable stream holds the same events")
                .extracting(SseClient.Event::data).containsExactlyElementsOf(events.stream().map(SseClient.Event::data).toList());
    }

    @Test
    void aJobThatNeverComesIsNotFoundOnceTheWaitIsOverAndBadParametersAreNamed() throws Exception {
        SseClient nobody = watch("never-" + SampleJobs.newJobId(), "?wait=1");
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.body(PATIENCE)).contains("has sent events within 1 s");

        SseClient bad = watch("any", "?after=-3");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body(PATIENCE)).contains("after must be a whole number");
    }

    @Test
    void fiveHundredWatchersOfOneRunningJobShareOneReadLoopAndEachGetsEveryEvent() throws Exception {
        // The feeds of other tests' jobs end within one XREAD block once their watchers are gone.
        await().atMost(Duration.ofSeconds(20)).until(() -> service.metricSum("agent_executor_event_feeds") == 0.0);
        String jobId = SampleJobs.newJobId();
        model.enqueue(MultiAgentJob.script());
        OpenAiTestServer.HeldCall held = model.hold(model.calls() + 3);
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() ->
                service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json"));
        held.awaitArrival();

        // One TCP connection per watcher, as 500 browsers would open (not 500 streams multiplexed on h2c).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
        List<SseClient> watchers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            watchers.add(SseClient.connect(http, service.uri("/jobs/" + jobId + "/events")));
        }
        await().atMost(PATIENCE).until(() -> watchers.stream().allMatch(w -> !w.events().isEmpty()));
        assertThat(service.metricSum("agent_executor_event_feeds")).isEqualTo(1.0);

        held.release();
        assertThat(answer.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        List<String> expected = watch(jobId, "").awaitEnd(PATIENCE).stream().map(SseClient.Event::data).toList();
        for (SseClient watcher : watchers) {
            assertThat(watcher.awaitEnd(PATIENCE)).extracting(SseClient.Event::data).containsExactlyElementsOf(expected);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> service.metricSum("agent_executor_event_feeds") == 0.0);
    }
}
