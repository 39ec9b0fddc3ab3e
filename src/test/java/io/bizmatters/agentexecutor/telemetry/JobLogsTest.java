package io.bizmatters.agentexecutor.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.config.LogFormat;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.OtlpReceiver;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with LOG_FORMAT=json and no OTLP endpoint: one JSON object per line, the start and
 * end line of each job with its fields, trace_id and span_id on every line logged inside the job
 * (the result event names the same ids), and not one span exported.
 */
class JobLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServers.NatsServer natsServer;
    private static OpenAiTestServer model;
    private static OtlpReceiver collector;
    private static RunningService service;
    private static StatusEvents status;
    private static Capture json;
    private static Capture text;

    @BeforeAll
    static void start() {
        natsServer = TestServers.NatsServer.start();
        model = new OpenAiTestServer();
        collector = new OtlpReceiver();
        service = RunningService.start(Map.of("NATS_URL", natsServer.url(), "LOG_FORMAT", "json",
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create);
        status = StatusEvents.listen(natsServer.url());
        json = Capture.withLayoutOf("json");
        text = Capture.withLayoutOf("text");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        json.detach();
        text.detach();
        LogFormat.apply("text");
        status.close();
        service.close();
        collector.close();
        model.close();
        natsServer.stop();
    }

    @Test
    void aJobLogsAStartAndAnEndLineAsJsonWithItsTraceOnEveryLine() throws Exception {
        assertThat(rootAppenders()).contains("json").doesNotContain("text");
        String jobId = SampleJobs.newJobId();
        String traceId = UUID.randomUUID().toString();
        String traceHex = traceId.replace("-", "");
        model.enqueue(ScriptedModelServer.text("Hello there"));

        assertThat(service.post(SampleJobs.structuredCloudEvent(jobId, traceId), "Content-Type",
                "application/cloudevents+json").statusCode()).isEqualTo(200);

        List<JsonNode> lines = json.lines().stream().map(JobLogsTest::parse).toList();
        List<JsonNode> ofJob = lines.stream().filter(line -> jobId.equals(line.path("job_id").asText())).toList();
        JsonNode started = only(ofJob, "Job " + jobId + " started");
        JsonNode ended = only(ofJob, "Job " + jobId + " ended");
        assertThat(started.path("level").asText()).isEqualTo("INFO");
        assertThat(started.path("ingress").asText()).isEqualTo("http");
        assertThat(started.path("delivery").asText()).isEqualTo("1");
        assertThat(ended.path("status").asText()).isEqualTo("completed");
        assertThat(ended.path("model_calls").asText()).isEqualTo("1");
        assertThat(ended.path("input_tokens").asText()).isEqualTo("10");
        assertThat(ended.path("output_tokens").asText()).isEqualTo("5");
        assertThat(ended.path("duration_ms").asLong()).isNotNegative();
        assertThat(ended.has("error_type")).isFalse();
        assertThat(ofJob).allSatisfy(line -> {
            assertThat(line.path("trace_id").asText()).as(line.toString()).isEqualTo(traceHex);
            assertThat(line.path("span_id").asText()).matches("[0-9a-f]{16}");
        });
        assertThat(status.awaitFor(jobId).event().path("traceparent").asText())
                .isEqualTo("00-" + traceHex + "-" + ended.path("span_id").asText() + "-01");
        assertThat(lines).as("each line one JSON object").allSatisfy(line -> assertThat(line.isObject()).isTrue());

        assertThat(text.lines()).anySatisfy(line -> assertThat(line)
                .contains("Job " + jobId + " started: trace_id=" + traceId + " ingress=http delivery=1"));
        assertThat(text.lines()).anySatisfy(line -> assertThat(line).contains("Job " + jobId + " ended: status=completed")
                .contains("model_calls=1 input_tokens=10 output_tokens=5"));
        assertThat(collector.requests()).as("no OTLP endpoint set: nothing exported").isEmpty();
    }

    @Test
    void aFailedJobsEndLineNamesItsErrorType() {
        String jobId = SampleJobs.newJobId();
        model.enqueue(ScriptedModelServer.failure(400));

        assertThat(service.post(SampleJobs.structuredCloudEvent(jobId, UUID.randomUUID().toString()), "Content-Type",
                "application/cloudevents+json").statusCode()).isEqualTo(200);

        JsonNode ended = only(json.lines().stream().map(JobLogsTest::parse)
                .filter(line -> jobId.equals(line.path("job_id").asText())).toList(), "Job " + jobId + " ended");
        assertThat(ended.path("status").asText()).isEqualTo("failed");
        assertThat(ended.path("error_type").asText()).isNotBlank().doesNotContain("JobFailure");
        assertThat(ended.has("error.stack_trace")).isFalse();
    }

    @Test
    void aParkedJobEndsInterruptedAndTheResumeThatRunsItIsADeliveryOfItsOwn() throws Exception {
        String jobId = SampleJobs.newJobId();
        String traceId = UUID.randomUUID().toString();
        ObjectNode event = (ObjectNode) JSON.readTree(SampleJobs.structuredCloudEvent(jobId, traceId));
        ((ObjectNode) event.at("/data/agent_definition/nodes/0/config")).putObject("interrupt_on").put("write_file", true);
        model.enqueue(ScriptedModelServer.toolCalls(ScriptedModelServer.call("w1", "write_file",
                Map.of("file_path", "/notes.md", "content", "approved"))), ScriptedModelServer.text("Written."));

        HttpResponse<String> parked = service.post(event.toString(), "Content-Type", "application/cloudevents+json");
        assertThat(parked.statusCode()).as(parked.body()).isEqualTo(202);
        HttpResponse<String> resumed = service.postTo("/jobs/" + jobId + "/resume",
                "{\"decisions\": [{\"tool_call_id\": \"w1\", \"type\": \"approve\"}]}");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);

        List<JsonNode> ofJob = json.lines().stream().map(JobLogsTest::parse)
                .filter(line -> jobId.equals(line.path("job_id").asText())).toList();
        assertThat(messages(ofJob, "Job " + jobId + " started")).extracting(line -> line.path("resume").asText())
                .containsExactly("false", "true");
        assertThat(messages(ofJob, "Job " + jobId + " ended")).extracting(line -> line.path("status").asText())
                .containsExactly("interrupted", "completed");
        assertThat(ofJob).allSatisfy(line -> assertThat(line.path("trace_id").asText()).isEqualTo(traceId.replace("-", "")));
        assertThat(text.lines()).anySatisfy(line -> assertThat(line).contains("Job " + jobId + " ended: status=interrupted"));
        assertThat(text.lines()).anySatisfy(line -> assertThat(line)
                .contains("Job " + jobId + " started: trace_id=" + traceId + " ingress=http delivery=1 resume=true"));
    }

    private static List<JsonNode> messages(List<JsonNode> lines, String messageStart) {
        return lines.stream().filter(line -> line.path("message").asText().startsWith(messageStart)).toList();
    }

    private static JsonNode only(List<JsonNode> lines, String messageStart) {
        List<JsonNode> found = messages(lines, messageStart);
        assertThat(found).as(messageStart).hasSize(1);
        return found.getFirst();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not one JSON object: " + line, e);
        }
    }

    private static List<String> rootAppenders() {
        return List.copyOf(context().getConfiguration().getRootLogger().getAppenders().keySet());
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }

    /** Every line the root logger writes, formatted by the layout of one of the configured appenders. */
    private static final class Capture extends AbstractAppender {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Capture(String name, Layout<?> layout) {
            super(name, null, layout, true, Property.EMPTY_ARRAY);
        }

        static Capture withLayoutOf(String appender) {
            Configuration configuration = context().getConfiguration();
            Capture capture = new Capture("capture-" + appender, configuration.getAppender(appender).getLayout());
            capture.start();
            configuration.getRootLogger().addAppender(capture, null, null);
            context().updateLoggers();
            return capture;
        }

        @Override
        public void append(LogEvent event) {
            lines.add(new String(getLayout().toByteArray(event)).strip());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        void detach() {
            context().getConfiguration().getRootLogger().removeAppender(getName());
            context().updateLoggers();
        }
    }
}
