package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.CancelRequest;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventReaderTest {
    private final CloudEventReader reader = new CloudEventReader(new ObjectMapper(), new JobExecutionEvents(256));
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void structuredModeIsReadByItsContentType() {
        AgentJob job = reader.read(exchange(SampleJobs.structuredCloudEvent(" job-1 ", " trace-1 "),
                Map.of(Exchange.CONTENT_TYPE, "application/cloudevents+json; charset=utf-8")));

        assertThat(job.jobId()).isEqualTo("job-1");
        assertThat(job.traceId()).isEqualTo("trace-1");
        assertThat(job.agentDefinition().path("nodes").get(0).path("id").asText()).isEqualTo("orchestrator");
        assertThat(job.inputPayload().path("messages").get(0).path("content").asText()).isEqualTo("Say hello");
    }

    @Test
    void structuredModeIsRecognisedBySpecversionInPlainJson() {
        AgentJob job = reader.read(exchange(SampleJobs.structuredCloudEvent("job-2", "t"), Map.of(Exchange.CONTENT_TYPE, "application/json")));

        assertThat(job.jobId()).isEqualTo("job-2");
    }

    @Test
    void binaryModeReadsTheBodyAsData() {
        AgentJob job = reader.read(exchange(SampleJobs.jobExecutionEvent("job-3", "t"), Map.of(
                "ce-specversion", "1.0", "ce-id", "1", "ce-source", "nats://agent.execute.test", "ce-type", "x")));

        assertThat(job.jobId()).isEqualTo("job-3");
    }

    @Test
    void binaryModeWithAnUnknownSpecversionNamesItAndEveryOtherProblem() {
        assertThatThrownBy(() -> reader.read(exchange(SampleJobs.jobExecutionEvent("job-7", "t"), Map.of(
                "ce-specversion", "2.0", "ce-source", "nats://agent.execute.test"))))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.fields())
                        .containsExactly("ce-specversion", "ce-id", "ce-type"));
    }

    @Test
    void aCloudEventContentTypeWinsOverCeHeaders() {
        AgentJob job = reader.read(exchange(SampleJobs.structuredCloudEvent("job-8", "t"), Map.of(
                "Content-Type", "application/cloudevents+json", "ce-specversion", "1.0")));

        assertThat(job.jobId()).as("structured mode, by the CloudEvents HTTP binding").isEqualTo("job-8");
    }

    @Test
    void theShippedCancelExampleIsACancelAndAJobIsNot() throws Exception {
        Exchange cancel = exchange(Files.readString(Path.of("examples/cancel-job.json")), Map.of());

        assertThat(reader.isCancel(cancel)).isTrue();
        assertThat(reader.readCancel(cancel)).isEqualTo(new CancelRequest("sample-job-http-1", "the user closed the tab"));
        assertThat(reader.isCancel(exchange(SampleJobs.structuredCloudEvent("job-6", "t"), Map.of()))).isFalse();
        assertThat(reader.isCancel(exchange("not json", Map.of()))).as("left for read() to reject").isFalse();
    }

    @Test
    void aBinaryModeCancelIsKnownByItsTypeHeaderAndNeedsAJobId() {
        Map<String, Object> headers = Map.of("ce-specversion", "1.0", "ce-id", "1", "ce-source", "test",
                "ce-type", CloudEventReader.CANCEL_TYPE);

        assertThat(reader.readCancel(exchange("{\"job_id\": \"job-7\"}", headers)))
                .isEqualTo(new CancelRequest("job-7", CancelRequest.NO_REASON));
        assertThat(reader.isCancel(exchange("{}", headers))).isTrue();
        assertThatThrownBy(() -> reader.readCancel(exchange("{\"reason\": \"why\"}", headers)))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("data.job_id"));
        assertThatThrownBy(() -> reader.readCancel(exchange("{\"job_id\": \"j\", \"reason\": 5}", headers)))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("data.reason"));
    }

    @Test
    void bareDataIsTheJobExecutionEventItself() {
        assertThat(reader.read(exchange(SampleJobs.jobExecutionEvent("job-4", "t"), Map.of())).jobId()).isEqualTo("job-4");
    }

    @Test
    void aBadEventNamesTheFieldAndKeepsTheReadableJobIdForTheFailedEvent() {
        Exchange exchange = exchange("{\"job_id\": \" job-5 \", \"trace_id\": \"t\", \"agent_definition\": {\"a\": 1}}", Map.of());

        assertThatThrownBy(() -> reader.read(exchange))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("data.input_payload"));
        assertThat(exchange.getProperty(CloudEventReader.READABLE_JOB_ID)).isEqualTo("job-5");
    }

    @Test
    void anUnreadableBodyLeavesTheJobIdUnknown() {
        Exchange exchange = exchange("{not json", Map.of());

        assertThatThrownBy(() -> reader.read(exchange))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("body"));
        assertThat(exchange.getProperty(CloudEventReader.READABLE_JOB_ID)).isEqualTo("unknown");
    }

    @Test
    void aStructuredEventWithoutDataNamesData() {
        assertThatThrownBy(() -> reader.read(exchange(
                "{\"specversion\": \"1.0\", \"id\": \"1\", \"source\": \"s\", \"type\": \"t\"}", Map.of())))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("data"));
    }

    private Exchange exchange(String body, Map<String, Object> headers) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        headers.forEach(exchange.getIn()::setHeader);
        return exchange;
    }
}
