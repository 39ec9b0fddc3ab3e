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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's limits through the whole service (docs/job-control.md): each budget reached by the
 * orchestrator and by a specialist of {@link MultiAgentJob}, the usage a finished job reports, and
 * limits that are not valid. The refused model call is never made: the script holds exactly the
 * calls that run.
 */
class JobLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ScriptedService scripted;
    private static OpenAiTestServer model;
    private static RunningService service;
    private static StatusEvents status;
    private static Connection nats;

    @BeforeAll
    static void start() throws Exception {
        scripted = ScriptedService.start(Map.of("AGENT_MAX_MODEL_CALLS", "20", "AGENT_MAX_MODEL_CALLS_CEILING", "50"));
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

    /**
     * @param calls the model calls that run before the limit stops the job (the script's first ones)
     */
    @ParameterizedTest(name = "{0} {1} stops {2}")
    @CsvSource(delimiter = '|', value = {
            "max_model_calls|3|the orchestrator|3|max_model_calls 3 reached: 3 model calls (orchestrator 1, Researcher 2)",
            "max_model_calls|1|a specialist|1|max_model_calls 1 reached: 1 model calls (orchestrator 1)",
            "max_tool_calls|1|the orchestrator|1|max_tool_calls 1 reached: 1 tool calls (orchestrator 1)",
            "max_tool_calls|2|a specialist|2|max_tool_calls 2 reached: 2 tool calls (orchestrator 2)",
            "max_total_tokens|45|the orchestrator|3|max_total_tokens 45 reached: 45 tokens (orchestrator 15, Researcher 30)",
            "max_total_tokens|15|a specialist|1|max_total_tokens 15 reached: 15 tokens (orchestrator 15)",
            "max_delegation_depth|0|the orchestrator|1|max_delegation_depth 0 reached: a task call of orchestrator would nest specialists 1 deep"})
    void aLimitStopsTheJobBeforeTheStepThatWouldPassIt(String limit, int value, String who, int calls, String message)
            throws Exception {
        String jobId = SampleJobs.newJobId();
        int callsBefore = model.calls();
        model.enqueue(Arrays.copyOf(MultiAgentJob.script(), calls));

        List<StreamedEvent> events;
        HttpResponse<String> answer;
        try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
            answer = service.post(MultiAgentJob.withLimits(jobId, "{\"" + limit + "\": " + value + "}"),
                    "Content-Type", "application/cloudevents+json");
            events = StreamedEvent.untilTerminal(stream);
        }

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).at("/error/type").asText()).isEqualTo("LimitExceeded");
        assertThat(JSON.readTree(answer.body()).at("/error/message").asText()).isEqualTo(message);
        assertThat(model.calls() - callsBefore).as("the refused call is never made").isEqualTo(calls);
        StatusEvents.Received failed = status.awaitFor(jobId);
        assertThat(failed.subject()).isEqualTo("agent.status.failed");
        assertThat(events.getLast().type()).isEqualTo("error");
        assertThat(events.getLast().data().path("type").asText()).isEqualTo("LimitExceeded");
        assertThat(JSON.readTree(service.get("/jobs/" + jobId).body()).path("status").asText()).isEqualTo("failed");
    }

    @Test
    void aLimitStopsAJetStreamJobAndItsMessageIsAcked() throws Exception {
        String jobId = SampleJobs.newJobId();
        model.enqueue(MultiAgentJob.script()[0]);

        nats.jetStream().publish("agent.execute.test", MultiAgentJob.withLimits(jobId, "{\"max_model_calls\": 1}")
                .getBytes(StandardCharsets.UTF_8));

        StatusEvents.Received failed = status.awaitFor(jobId);
        assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("LimitExceeded");
        assertThat(failed.event().at("/data/error/message").asText())
                .isEqualTo("max_model_calls 1 reached: 1 model calls (orchestrator 1)");
        WorkerConsumer.awaitNothingPending(nats);
        assertThat(status.forJob(jobId)).hasSize(1);
    }

    @Test
    void aFinishedJobReportsWhatEachAgentSpent() throws Exception {
        String jobId = SampleJobs.newJobId();
        model.enqueue(MultiAgentJob.script());

        HttpResponse<String> answer = service.post(MultiAgentJob.withLimits(jobId,
                "{\"max_model_calls\": 7, \"max_tool_calls\": 5, \"max_total_tokens\": 1000, \"timeout_seconds\": 600}"),
                "Content-Type", "application/cloudevents+json");

        JsonNode usage = JSON.readTree(answer.body()).path("usage");
        assertThat(JSON.readTree(answer.body()).at("/result/output").asText()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
        assertThat(usage.path("model_calls").asInt()).isEqualTo(MultiAgentJob.MODEL_CALLS);
        assertThat(usage.path("tool_calls").asInt()).isEqualTo(MultiAgentJob.TOOL_EXECUTIONS);
        assertThat(usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt()).isEqualTo(MultiAgentJob.TOKENS);
        assertThat(usage.path("agents")).extracting(a -> a.path("agent").asText() + " " + a.path("name").asText() + " "
                        + a.path("model_calls").asInt() + "/" + a.path("tool_calls").asInt() + " "
                        + a.path("input_tokens").asInt() + "+" + a.path("output_tokens").asInt())
                .containsExactly("orchestrator orchestrator 3/3 30+15", "researcher Researcher 2/1 20+10", "writer Writer 2/1 20+10");
        assertThat(status.awaitFor(jobId).event().at("/data/usage")).isEqualTo(usage);
        assertThat(JSON.readTree(service.get("/jobs/" + jobId).body()).path("usage")).isEqualTo(usage);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[20]|data.limits",
            "{\"max_model_calls\": -1}|data.limits.max_model_calls",
            "{\"max_model_calls\": 51}|data.limits.max_model_calls",
            "{\"timeout_seconds\": \"soon\"}|data.limits.timeout_seconds",
            "{\"max_tool_calls\": 2.5}|data.limits.max_tool_calls",
            "{\"max_model_call\": 20}|data.limits.max_model_call"})
    void invalidLimitsAreRejectedNamingTheField(String limits, String field) throws Exception {
        String jobId = SampleJobs.newJobId();
        int callsBefore = model.calls();

        HttpResponse<String> answer = service.post(MultiAgentJob.withLimits(jobId, limits), "Content-Type", "application/cloudevents+json");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("field").asText()).isEqualTo(field);
        assertThat(JSON.readTree(answer.body()).path("detail").asText()).startsWith(field).doesNotContain("Exception");
        assertThat(model.calls()).isEqualTo(callsBefore);

        String overNats = SampleJobs.newJobId();
        nats.jetStream().publish("agent.execute.test", MultiAgentJob.withLimits(overNats, limits).getBytes(StandardCharsets.UTF_8));
        StatusEvents.Received failed = status.awaitFor(overNats);
        assertThat(failed.event().at("/data/error/type").asText()).isEqualTo("BadInput");
        assertThat(failed.event().at("/data/error/message").asText()).startsWith(field);
        WorkerConsumer.awaitNothingPending(nats);
    }

}
