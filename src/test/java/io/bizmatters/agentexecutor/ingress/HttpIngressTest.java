package io.bizmatters.agentexecutor.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.testsupport.CountingRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST / in both CloudEvent modes, the result events it produces, and its answers to bad requests. */
class HttpIngressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4BF92F35-77b3-4da6-a3ce-929d0e0e4736";
    private static final String TRACE_HEX = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final CountingRunner runner = new CountingRunner();
    private static RunningService service;
    private static StatusEvents events;

    @BeforeAll
    static void start() {
        service = RunningService.start(runner);
        events = StatusEvents.listen(TestServers.natsUrl());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        events.close();
        service.close();
    }

    @Test
    void structuredModeRunsTheJobAndPublishesTheContractsCompletedEvent() throws Exception {
        String jobId = SampleJobs.newJobId();

        HttpResponse<String> response = service.post(SampleJobs.structuredCloudEvent(jobId, TRACE_ID),
                "Content-Type", "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("result").path("output").asText()).isEqualTo(CountingRunner.OUTPUT);
        assertCompletedEnvelope(events.awaitFor(jobId), jobId);
        assertThat(runner.runsOf(jobId)).isEqualTo(1);
    }

    @Test
    void binaryModeRunsTheJobAndPublishesTheContractsCompletedEvent() {
        String jobId = SampleJobs.newJobId();

        HttpResponse<String> response = service.post(SampleJobs.jobExecutionEvent(jobId, TRACE_ID),
                "Content-Type", "application/json",
                "ce-specversion", "1.0", "ce-id", UUID.randomUUID().toString(),
                "ce-type", "dev.my-platform.agent.execute", "ce-source", "nats://agent.execute.test");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ce-id")).as("request headers are not echoed").isEmpty();
        assertCompletedEnvelope(events.awaitFor(jobId), jobId);
    }

    @Test
    void aFinishedJobDeliveredAgainIsNotRunAgainButItsStoredResultIsRepublished() throws Exception {
        String jobId = SampleJobs.newJobId();
        String event = SampleJobs.structuredCloudEvent(jobId, TRACE_ID);

        assertThat(service.post(event, "Content-Type", "application/cloudevents+json").statusCode()).isEqualTo(200);
        HttpResponse<String> duplicate = service.post(event, "Content-Type", "application/cloudevents+json");

        assertThat(duplicate.statusCode()).isEqualTo(200);
        assertThat(runner.runsOf(jobId)).isEqualTo(1);
        await().until(() -> events.forJob(jobId).size() == 2);
        List<StatusEvents.Received> published = events.forJob(jobId);
        assertThat(published).extracting(StatusEvents.Received::subject).containsOnly("agent.status.completed");
        assertThat(published.get(1).event().get("data")).isEqualTo(published.get(0).event().get("data"));
        assertThat(published.get(1).event().get("id")).isNotEqualTo(published.get(0).event().get("id"));
        assertThat(lookUp(jobId).get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aJobTheEngineFailsIsReportedOnTheFailedSubjectAndAnswered200() throws Exception {
        String jobId = CountingRunner.FAILING_PREFIX + UUID.randomUUID();

        HttpResponse<String> response = service.post(SampleJobs.structuredCloudEvent(jobId, TRACE_ID),
                "Content-Type", "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(200);
        StatusEvents.Received failed = events.awaitFor(jobId);
        assertThat(failed.subject()).isEqualTo("agent.status.failed");
        JsonNode event = failed.event();
        assertThat(event.get("type").asText()).isEqualTo("dev.my-platform.agent.failed");
        assertThat(event.at("/data/job_id").asText()).isEqualTo(jobId);
        assertThat(event.at("/data/error/message").asText()).isEqualTo("the model refused to answer");
        assertThat(event.at("/data/error/type").asText()).isEqualTo("IllegalStateException");
        String stackTrace = event.at("/data/error/stack_trace").asText();
        assertThat(stackTrace).contains("CountingRunner.run").doesNotContain("org.apache.camel", "io.vertx", "java.lang.reflect");
        // The cause's own frames, its wrapper's, and no frame twice: a dozen lines, not fifty.
        assertThat(stackTrace.lines().filter(line -> line.startsWith("\tat ")).count()).isLessThanOrEqualTo(10);
        JsonNode job = lookUp(jobId);
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.at("/error/type").asText()).isEqualTo("IllegalStateException");
        assertThat(job.get("finished_at").isNull()).isFalse();
    }

    @Test
    void aCompletedJobCanBeLookedUpWithItsResultAndUsage() throws Exception {
        String jobId = SampleJobs.newJobId();
        service.post(SampleJobs.structuredCloudEvent(jobId, TRACE_ID), "Content-Type", "application/cloudevents+json");

        JsonNode job = lookUp(jobId);

        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("trace_id").asText()).isEqualTo(TRACE_ID);
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(job.get("result")).isEqualTo(JSON.readTree("{\"output\": \"counted output\", \"status\": \"completed\"}"));
        assertThat(job.at("/usage/models/0/model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(job.at("/usage/models/0/input_tokens").asInt()).isEqualTo(12);
        assertThat(job.at("/usage/models/0/output_tokens").asInt()).isEqualTo(3);
        assertThat(job.at("/usage/input_tokens").asInt()).isEqualTo(12);
        assertThat(service.get("/jobs/no-such-job").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON         | {\"specversion\": \"1.0\", \"data\": {                                   | body",
            "missing job_id         | {\"trace_id\": \"t\", \"agent_definition\": {\"nodes\": []}, \"input_payload\": {\"m\": 1}} | data.job_id",
            "blank job_id           | {\"trace_id\": \"t\", \"job_id\": \"  \", \"agent_definition\": {\"nodes\": []}, \"input_payload\": {\"m\": 1}} | data.job_id",
            "blank trace_id         | {\"trace_id\": \"\", \"job_id\": \"j\", \"agent_definition\": {\"nodes\": []}, \"input_payload\": {\"m\": 1}} | data.trace_id",
            "empty agent_definition | {\"trace_id\": \"t\", \"job_id\": \"j\", \"agent_definition\": {}, \"input_payload\": {\"m\": 1}} | data.agent_definition",
            "input_payload a string | {\"trace_id\": \"t\", \"job_id\": \"j\", \"agent_definition\": {\"nodes\": []}, \"input_payload\": \"hi\"} | data.input_payload",
            "CloudEvent without id  | {\"specversion\": \"1.0\", \"type\": \"t\", \"source\": \"s\", \"data\": {}}   | id",
    })
    void aBadRequestIsAnswered400NamingTheField(String name, String body, String field) throws Exception {
        HttpResponse<String> response = service.post(body, "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("detail").asText()).contains(field);
    }

    @Test
    void aBinaryModeEventWithoutCeIdIsAnswered400NamingTheHeader() throws Exception {
        HttpResponse<String> response = service.post(SampleJobs.jobExecutionEvent(SampleJobs.newJobId(), TRACE_ID),
                "Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-type", "dev.my-platform.agent.execute", "ce-source", "nats://agent.execute.test");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("ce-id");
    }

    private static void assertCompletedEnvelope(StatusEvents.Received received, String jobId) {
        assertThat(received.subject()).isEqualTo("agent.status.completed");
        JsonNode event = received.event();
        assertThat(event.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
                "specversion", "id", "source", "type", "subject", "traceparent", "datacontenttype", "data");
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("dev.my-platform.agent.completed");
        assertThat(event.get("source").asText()).isEqualTo("agent-executor-service");
        assertThat(event.get("subject").asText()).isEqualTo(jobId);
        assertThat(UUID.fromString(event.get("id").asText())).isNotNull();
        assertThat(event.get("traceparent").asText()).matches("00-" + TRACE_HEX + "-[0-9a-f]{16}-01");
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        JsonNode data = event.get("data");
        assertThat(data.get("job_id").asText()).isEqualTo(jobId);
        assertThat(data.get("result")).isEqualTo(
                JSON.createObjectNode().put("output", CountingRunner.OUTPUT).put("status", "completed"));
        // The contract's fields, and what the job spent (docs/job-control.md), which older consumers ignore.
        assertThat(data.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("job_id", "result", "usage");
        assertThat(data.at("/usage/models/0/model").asText()).isEqualTo("gpt-4.1-mini");
    }

    private static JsonNode lookUp(String jobId) throws Exception {
        HttpResponse<String> response = service.get("/jobs/" + jobId);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
