package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.ScriptedService;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancelling jobs through the whole service (docs/job-control.md): over HTTP DELETE, the core-NATS
 * broadcast and the cancel CloudEvent on JetStream; while a model streams, while a tool route
 * waits, before the job arrives, and racing the job's own completion. Real engine, PostgreSQL,
 * a private NATS server, the Redis-compatible stream, the scripted OpenAI-compatible model.
 */
class JobCancelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REASON = "the user closed the tab";

    private static ScriptedService scripted;
    private static OpenAiTestServer model;
    private static RunningService service;
    private static StatusEvents status;
    private static Connection nats;

    @BeforeAll
    static void start() throws Exception {
        scripted = ScriptedService.start(Map.of());
        model = scripted.model();
        service = scripted.service();
        status = scripted.status();
        nats = scripted.nats();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        scripted.close();
    }

    @AfterEach
    void theScriptIsUsedUp() {
        assertThat(model.unusedReplies()).isZero();
    }

    @Test
    void aCancelOverHttpStopsAJobWhoseModelIsStreamingAtOnce() throws Exception {
        String jobId = SampleJobs.newJobId();
        double cancelled = cancelledJobs();
        model.enqueue(text("Let me think about this for a long while"));
        OpenAiTestServer.HeldCall streaming = model.holdAfterFirstChunk(model.calls() + 1);
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            CompletableFuture<HttpResponse<String>> submitted = CompletableFuture.supplyAsync(() ->
                    service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json"));
            streaming.awaitArrival();
            await().atMost(Duration.ofSeconds(10)).until(() -> StreamedEvent.of(stream).stream().anyMatch(e -> e.is("on_llm_stream")));

            long sent = System.nanoTime();
            HttpResponse<String> cancel = service.delete("/jobs/" + jobId, "{\"reason\": \"" + REASON + "\"}");
            HttpResponse<String> answer = submitted.get();
            long stoppedMillis = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("BENCH cancel of a job in a model stream (HTTP DELETE to the job's HTTP answer): " + stoppedMillis + " ms");

            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            assertThat(JSON.readTree(cancel.body())).isEqualTo(JSON.readTree(
                    "{\"job_id\": \"" + jobId + "\", \"status\": \"cancelling\"}"));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).at("/error/type").asText()).isEqualTo("Cancelled");
            assertThat(stoppedMillis).as("stopped within the model call, not after it").isLessThan(10_000);
            assertCancelledOnce(jobId, stream);
        } finally {
            streaming.release();
        }
        assertThat(cancelledJobs() - cancelled).isEqualTo(1);
        JsonNode row = JSON.readTree(service.get("/jobs/" + jobId).body());
        assertThat(row.path("status").asText()).isEqualTo("cancelled");
        assertThat(row.path("cancel_reason").asText()).isEqualTo(REASON);
    }

    /** The pod that receives the DELETE does not run the job: its broadcast makes the lease holder stop it. */
    @Test
    void aCancelReceivedByAnotherPodStopsTheJobOnThePodThatRunsIt() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (RunningService otherPod = scripted.anotherPod();
             ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            model.enqueue(text("Let me think about this for a long while"));
            OpenAiTestServer.HeldCall streaming = model.holdAfterFirstChunk(model.calls() + 1);
            CompletableFuture<HttpResponse<String>> submitted = CompletableFuture.supplyAsync(() ->
                    service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json"));
            streaming.awaitArrival();

            long sent = System.nanoTime();
            HttpResponse<String> cancel = otherPod.delete("/jobs/" + jobId, "{\"reason\": \"" + REASON + "\"}");
            HttpResponse<String> answer = submitted.get();
            System.out.println("BENCH cancel of a job in a model stream on another pod (HTTP DELETE to the job's HTTP answer): "
                    + (System.nanoTime() - sent) / 1_000_000 + " ms");

            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            assertThat(JSON.readTree(answer.body()).at("/error/type").asText()).isEqualTo("Cancelled");
            assertCancelledOnce(jobId, stream);
            streaming.release();
        }
    }

    @Test
    void aCancelBroadcastOverNatsStopsAJetStreamJobWhoseToolRouteWaits() throws Exception {
        String jobId = SampleJobs.newJobId();
        int callsBefore = model.calls();
        model.enqueue(toolCalls(call("c1", "task", Map.of("subagent_type", "Researcher", "description", "Look it up"))),
                toolCalls(call("r1", "slow_lookup", Map.of())));
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            nats.jetStream().publish("agent.execute.test", MultiAgentJob.cloudEvent(jobId, MultiAgentJob.definition("slow_lookup"))
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(20)).until(() -> StreamedEvent.of(stream).stream()
                    .anyMatch(e -> e.is("on_tool_start") && e.toolCallId().equals("r1")));

            long sent = System.nanoTime();
            nats.publish("agent.cancel." + jobId, cancelEvent(jobId).getBytes(StandardCharsets.UTF_8));
            await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(20)).until(() -> !status.forJob(jobId).isEmpty());
            System.out.println("BENCH cancel of a job in a tool route (core NATS cancel to its failed event): "
                    + (System.nanoTime() - sent) / 1_000_000 + " ms");

            assertCancelledOnce(jobId, stream);
            assertThat(StreamedEvent.of(stream)).as("the tool never answered")
                    .noneMatch(e -> e.is("on_tool_end") && e.toolCallId().equals("r1"));
        }
        assertThat(model.calls() - callsBefore).isEqualTo(2);
        WorkerConsumer.awaitNothingPending(nats);
    }

    @Test
    void aJobCancelledBeforeItArrivesIsNeverRun() throws Exception {
        String overHttp = SampleJobs.newJobId();
        String overJetStream = SampleJobs.newJobId();
        int callsBefore = model.calls();

        HttpResponse<String> unknown = service.delete("/jobs/" + overHttp, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("job_id").asText()).isEqualTo(overHttp);
        nats.jetStream().publish("agent.execute.test", cancelEvent(overJetStream).getBytes(StandardCharsets.UTF_8));
        WorkerConsumer.awaitNothingPending(nats);
        assertThat(status.forJob(overJetStream)).as("a cancel alone publishes nothing").isEmpty();

        HttpResponse<String> answer = service.post(MultiAgentJob.cloudEvent(overHttp), "Content-Type", "application/cloudevents+json");
        nats.jetStream().publish("agent.execute.test", MultiAgentJob.cloudEvent(overJetStream).getBytes(StandardCharsets.UTF_8));

        assertThat(JSON.readTree(answer.body()).at("/error/type").asText()).isEqualTo("Cancelled");
        assertThat(JSON.readTree(answer.body()).at("/error/message").asText()).isEqualTo("cancelled (no reason given)");
        StatusEvents.Received failed = status.awaitFor(overJetStream);
        assertThat(failed.subject()).isEqualTo("agent.status.failed");
        assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("Cancelled");
        assertThat(failed.event().at("/data/error/message").asText()).isEqualTo(REASON);
        assertThat(failed.event().path("traceparent").asText()).as("the trace id came with the job").isNotEmpty();
        WorkerConsumer.awaitNothingPending(nats);
        assertThat(model.calls()).isEqualTo(callsBefore);
        for (String jobId : List.of(overHttp, overJetStream)) {
            assertThat(status.forJob(jobId)).hasSize(1);
            JsonNode row = JSON.readTree(service.get("/jobs/" + jobId).body());
            assertThat(row.path("status").asText()).isEqualTo("cancelled");
            assertThat(row.path("trace_id").asText()).isEqualTo("trace-" + jobId);
        }
    }

    /** The job's last model call answers while the cancel arrives: one result either way, and the row agrees. */
    @Test
    void aCancelRacingTheJobsCompletionLeavesExactlyOneResult() throws Exception {
        for (boolean overHttp : List.of(true, false)) {
            String jobId = SampleJobs.newJobId();
            model.enqueue(MultiAgentJob.script());
            OpenAiTestServer.HeldCall last = model.hold(model.calls() + MultiAgentJob.MODEL_CALLS);
            CompletableFuture<HttpResponse<String>> submitted = overHttp
                    ? CompletableFuture.supplyAsync(() -> service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/json"))
                    : null;
            if (!overHttp) {
                nats.jetStream().publish("agent.execute.test", MultiAgentJob.cloudEvent(jobId).getBytes(StandardCharsets.UTF_8));
            }
            last.awaitArrival();

            last.release();
            HttpResponse<String> cancel = service.delete("/jobs/" + jobId, "{\"reason\": \"race\"}");

            StatusEvents.Received result = status.awaitFor(jobId);
            if (submitted != null) {
                assertThat(submitted.get().statusCode()).isEqualTo(200);
            }
            WorkerConsumer.awaitNothingPending(nats);
            Thread.sleep(1_000); // a second result would come within this
            assertThat(status.forJob(jobId)).as("one result, over " + (overHttp ? "HTTP" : "JetStream")).hasSize(1);
            assertThat(cancel.statusCode()).isIn(200, 202);
            String rowStatus = JSON.readTree(service.get("/jobs/" + jobId).body()).path("status").asText();
            if (result.subject().equals("agent.status.completed")) {
                assertThat(rowStatus).isEqualTo("completed");
            } else {
                assertThat(result.event().at("/data/error/type").asText()).isEqualTo("Cancelled");
                assertThat(rowStatus).isEqualTo("cancelled");
            }
        }
    }

    @Test
    void aCancelOfAFinishedJobChangesNothing() throws Exception {
        String jobId = SampleJobs.newJobId();
        model.enqueue(MultiAgentJob.script());
        assertThat(service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/json").statusCode()).isEqualTo(200);

        HttpResponse<String> cancel = service.delete("/jobs/" + jobId, "{\"reason\": \"too late\"}");

        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancel.body()).path("status").asText()).isEqualTo("completed");
        assertThat(JSON.readTree(cancel.body()).path("cancel_reason").isNull()).isTrue();
        assertThat(service.delete("/jobs/" + jobId, "[1]").statusCode()).as("a body that is not an object").isEqualTo(400);
        HttpResponse<String> posted = service.post(cancelEvent(jobId), "Content-Type", "application/cloudevents+json");
        assertThat(posted.statusCode()).as("a cancel event POSTed to / is answered as DELETE").isEqualTo(200);
        assertThat(JSON.readTree(posted.body()).path("status").asText()).isEqualTo("completed");
        assertThat(status.forJob(jobId)).hasSize(1);
    }

    /** The cancelled job's one failed event, and its stream ending in the Cancelled error, never end. */
    private static void assertCancelledOnce(String jobId, ChannelSubscriber stream) {
        StatusEvents.Received failed = status.awaitFor(jobId);
        assertThat(failed.subject()).isEqualTo("agent.status.failed");
        assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("Cancelled");
        assertThat(failed.event().at("/data/error/message").asText()).isEqualTo(REASON);
        List<StreamedEvent> events = StreamedEvent.untilTerminal(stream);
        assertThat(events.getLast().type()).isEqualTo("error");
        assertThat(events.getLast().data().path("error").asText()).isEqualTo(REASON);
        assertThat(events.getLast().data().path("type").asText()).isEqualTo("Cancelled");
        assertThat(events).noneMatch(e -> e.is("end"));
        System.out.println("EXAMPLE stream tail: " + events.subList(Math.max(0, events.size() - 3), events.size()));
        System.out.println("EXAMPLE failed event: " + failed.event());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> status.forJob(jobId).size() == 1 && StreamedEvent.of(stream).size() == events.size());
    }

    /** agent_executor_jobs_total{status="cancelled"} on /metrics. */
    static double cancelledJobs() {
        return cancelledJobs(service);
    }

    static double cancelledJobs(RunningService service) {
        return service.get("/metrics").body().lines()
                .filter(line -> line.startsWith("agent_executor_jobs_total{") && line.contains("status=\"cancelled\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String cancelEvent(String jobId) {
        return cancelEvent(jobId, REASON);
    }

    /** A structured-mode cancel CloudEvent, as sent on agent.execute.* or agent.cancel.*. */
    static String cancelEvent(String jobId, String reason) {
        return JSON.createObjectNode().put("specversion", "1.0").put("type", "dev.my-platform.agent.cancel")
                .put("source", "test").put("id", UUID.randomUUID().toString()).put("datacontenttype", "application/json")
                .set("data", JSON.createObjectNode().put("job_id", jobId).put("reason", reason)).toString();
    }

}
