package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.OtlpReceiver;
import io.bizmatters.agentexecutor.testsupport.OtlpReceiver.ReceivedSpan;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service exporting its traces to a real OTLP/HTTP endpoint (decoded with opentelemetry-proto):
 * the span tree of the multi-agent job with its tool route, the GenAI attributes, the parent taken
 * from an incoming traceparent or the trace id from trace_id, the result event's traceparent, and
 * the operational metrics beside the contract's.
 */
class JobTracingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServers.NatsServer natsServer;
    private static OpenAiTestServer model;
    private static OtlpReceiver collector;
    private static RunningService service;
    private static StatusEvents status;

    @BeforeAll
    static void start() {
        natsServer = TestServers.NatsServer.start();
        model = new OpenAiTestServer();
        collector = new OtlpReceiver();
        Map<String, String> environment = new HashMap<>(collector.environment());
        environment.putAll(Map.of("NATS_URL", natsServer.url(), "OPENAI_API_KEY", "test-key",
                "OPENAI_BASE_URL", model.baseUrl()));
        service = RunningService.start(environment, EngineAssembly::create);
        status = StatusEvents.listen(natsServer.url());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        status.close();
        service.close();
        collector.close();
        model.close();
        natsServer.stop();
    }

    @Test
    void aMultiAgentJobIsOneTraceUnderTheCallersSpan() throws Exception {
        String jobId = SampleJobs.newJobId();
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);
        ObjectNode event = (ObjectNode) JSON.readTree(MultiAgentJob.cloudEvent(jobId));
        event.put("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .put("time", OffsetDateTime.now().minusSeconds(2).toString());
        ((ObjectNode) event.get("data")).put("trace_id", traceId);
        model.enqueue(MultiAgentJob.script());

        HttpResponse<String> response = service.post(event.toString(), "Content-Type", "application/cloudevents+json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        ReceivedSpan delivery = awaitSpan(traceId, "POST /");
        assertThat(delivery.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(delivery.parentSpanId()).as("the incoming traceparent is the parent").isEqualTo(callerSpan);
        assertThat(delivery.service()).isEqualTo("agent-executor-service");
        assertThat(delivery.attributes()).containsEntry("agent_executor.job.id", jobId)
                .containsEntry("agent_executor.job.status", "completed").containsEntry("http.response.status_code", 200L);

        ReceivedSpan job = single(traceId, span -> span.name().equals("invoke_agent"));
        assertThat(job.parentSpanId()).isEqualTo(delivery.spanId());
        // The orchestrator's steps are the job's children; a specialist's steps are children of the
        // orchestrator's tools step that runs it. write_todos and the Researcher's task share one.
        assertThat(children(traceId, job, "step ")).hasSize(5);
        List<ReceivedSpan> steps = spans(traceId, "step ");
        assertThat(steps).hasSize(MultiAgentJob.MODEL_CALLS + 4);
        assertThat(steps).allSatisfy(step -> assertThat(step.parentSpanId().equals(job.spanId())
                || parentOf(step, steps).name().equals("step tools")).isTrue());
        assertThat(spans(traceId, "checkpoint write")).as("every step; the START checkpoint is not written")
                .hasSize(MultiAgentJob.MODEL_CALLS + 4);

        List<ReceivedSpan> chats = spans(traceId, "chat ");
        assertThat(chats).hasSize(MultiAgentJob.MODEL_CALLS).allSatisfy(chat -> {
            assertThat(chat.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
            assertThat(parentOf(chat, steps).name()).isEqualTo("step agent");
            assertThat(chat.attributes()).containsEntry("gen_ai.operation.name", "chat")
                    .containsEntry("gen_ai.provider.name", "openai").containsEntry("gen_ai.system", "openai")
                    .containsEntry("gen_ai.usage.input_tokens", 10L).containsEntry("gen_ai.usage.output_tokens", 5L)
                    .doesNotContainKeys("gen_ai.input.messages", "gen_ai.output.messages");
            assertThat(chat.name()).isEqualTo("chat " + chat.attribute("gen_ai.request.model"));
        });
        assertThat(chats).extracting(chat -> chat.attribute("gen_ai.agent.name"))
                .containsExactlyInAnyOrder("Lead", "Researcher", "Researcher", "Lead", "Writer", "Writer", "Lead");
        assertThat(chats).extracting(chat -> chat.attribute("gen_ai.response.finish_reasons"))
                .containsOnly(List.of("tool_calls"), List.of("stop"));
        assertThat(chats).filteredOn(chat -> "gpt-test-mini".equals(chat.attribute("gen_ai.request.model")))
                .extracting(chat -> chat.attribute("gen_ai.agent.name")).containsOnly("Writer");

        List<ReceivedSpan> tools = spans(traceId, "execute_tool ");
        assertThat(tools).as("task starts a specialist in its step rather than executing").extracting(tool -> tool.attribute("gen_ai.tool.name"))
                .containsExactlyInAnyOrder("write_todos", "word_count", "write_file");
        assertThat(tools).allSatisfy(tool -> assertThat(parentOf(tool, steps).name()).isEqualTo("step tools"));
        ReceivedSpan wordCount = single(traceId, span -> span.name().equals("execute_tool word_count"));
        assertThat(collector.spans(span -> span.parentSpanId().equals(wordCount.spanId())))
                .as("the tool route's own Camel spans are beneath the tool execution")
                .isNotEmpty().allSatisfy(camel -> assertThat(camel.scope()).isEqualTo("camel"));

        ReceivedSpan publish = single(traceId, span -> span.name().equals("send agent.status.completed"));
        assertThat(publish.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(publish.parentSpanId()).isEqualTo(delivery.spanId());
        assertThat(status.awaitFor(jobId).event().path("traceparent").asText())
                .as("the result names the job's trace and its span").isEqualTo("00-" + traceId + "-" + job.spanId() + "-01");

        assertThat(service.metricSum("agent_executor_queue_wait_seconds_count")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aParkedJobEndsInterruptedAndItsResumeIsADeliveryOfTheSameTraceStartingWithTheApprovalStep() throws Exception {
        String jobId = SampleJobs.newJobId();
        String traceId = randomHex(16);
        ObjectNode event = (ObjectNode) JSON.readTree(ApprovalJob.cloudEvent(jobId));
        ((ObjectNode) event.get("data")).put("trace_id", traceId);
        model.enqueue(ApprovalJob.oneInterrupt());

        HttpResponse<String> parked = service.post(event.toString(), "Content-Type", "application/cloudevents+json");
        assertThat(parked.statusCode()).as(parked.body()).isEqualTo(202);
        assertThat(awaitSpan(traceId, "POST /").attributes()).containsEntry("agent_executor.job.status", "interrupted");
        assertThat(single(traceId, span -> span.name().equals("invoke_agent")).attributes())
                .containsEntry("agent_executor.job.status", "interrupted");

        HttpResponse<String> resumed = service.postTo("/jobs/" + jobId + "/resume",
                ApprovalJob.decisions(jobId, ApprovalJob.approve("w1")));
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);

        ReceivedSpan resume = awaitSpan(traceId, "POST /jobs/{jobId}/resume");
        assertThat(resume.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(resume.attributes()).containsEntry("http.route", "/jobs/{jobId}/resume")
                .containsEntry("agent_executor.job.id", jobId).containsEntry("agent_executor.job.status", "completed");
        ReceivedSpan resumedJob = single(traceId, span -> span.name().equals("invoke_agent")
                && span.parentSpanId().equals(resume.spanId()));
        assertThat(children(traceId, resumedJob, "step ")).extracting(ReceivedSpan::name)
                .containsExactlyInAnyOrder("step approval", "step tools", "step agent");
        assertThat(spans(traceId, "execute_tool ")).extracting(tool -> tool.attribute("gen_ai.tool.name"))
                .as("write_file ran once, after its approval").containsExactly("write_file");
    }

    @Test
    void aJetStreamJobWithoutTraceparentIsATraceNamedByItsTraceId() throws Exception {
        String jobId = SampleJobs.newJobId();
        String traceId = UUID.randomUUID().toString();
        String traceHex = traceId.replace("-", "");
        model.enqueue(ScriptedModelServer.text("Hello"));
        try (Connection client = Nats.connect(natsServer.url())) {
            client.jetStream().publish("agent.execute.test",
                    SampleJobs.structuredCloudEvent(jobId, traceId).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(status.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");

        ReceivedSpan delivery = awaitSpan(traceHex, "process agent.execute.test");
        assertThat(delivery.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(delivery.parentSpanId()).as("a root: no caller's span").isEmpty();
        assertThat(delivery.attributes()).containsEntry("messaging.system", "nats")
                .containsEntry("agent_executor.delivery.count", 1L);
        ReceivedSpan job = single(traceHex, span -> span.name().equals("invoke_agent"));
        assertThat(status.awaitFor(jobId).event().path("traceparent").asText())
                .isEqualTo("00-" + traceHex + "-" + job.spanId() + "-01");
    }

    @Test
    void metricsCarryTheNewSeriesAndNoSqlText() throws Exception {
        model.enqueue(ScriptedModelServer.text("Hello"));
        String jobId = SampleJobs.newJobId();
        assertThat(service.post(SampleJobs.structuredCloudEvent(jobId, UUID.randomUUID().toString()),
                "Content-Type", "application/cloudevents+json").statusCode()).isEqualTo(200);
        assertThat(service.get("/jobs/" + jobId).statusCode()).isEqualTo(200);

        String metrics = service.get("/metrics").body();
        assertThat(metrics).doesNotContainIgnoringCase("select").doesNotContain("json_build_object");
        assertThat(metrics.lines().filter(line -> line.startsWith("agent_executor_model_call_duration_seconds_count")))
                .anySatisfy(line -> assertThat(line).contains("provider=\"openai\"").contains("model=\"gpt-4.1-mini\"")
                        .contains("outcome=\"ok\""));
        assertThat(service.metricSum("agent_executor_delivery_attempts_total")).isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("agent_executor_delivery_attempts_total{ingress=\"http\"}")
                .contains("agent_executor_delivery_attempts_total{ingress=\"jetstream\"}");
        assertThat(service.metricSum("agent_executor_checkpoint_write_duration_seconds_count")).isGreaterThanOrEqualTo(2);
        assertThat(service.metricSum("agent_executor_jobs_in_flight")).isZero();
        assertThat(service.metricSum("agent_executor_job_slots")).isEqualTo(200);
        assertThat(metrics).contains("agent_executor_queue_wait_seconds_bucket");
        for (String contract : List.of("agent_executor_jobs_total", "agent_executor_job_duration_seconds_count",
                "agent_executor_db_connection_errors_total", "agent_executor_nats_messages_processed_total",
                "agent_executor_nats_messages_failed_total", "agent_executor_redis_publish_total")) {
            assertThat(metrics).as(contract).contains(contract);
        }
    }

    private static ReceivedSpan awaitSpan(String traceId, String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !spans(traceId, name).isEmpty());
        return single(traceId, span -> span.name().equals(name));
    }

    private static ReceivedSpan single(String traceId, java.util.function.Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> found = collector.spans(span -> span.traceId().equals(traceId) && filter.test(span));
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    private static List<ReceivedSpan> spans(String traceId, String namePrefix) {
        return collector.spans(span -> span.traceId().equals(traceId) && span.name().startsWith(namePrefix));
    }

    private static List<ReceivedSpan> children(String traceId, ReceivedSpan parent, String namePrefix) {
        return spans(traceId, namePrefix).stream().filter(span -> span.parentSpanId().equals(parent.spanId())).toList();
    }

    private static ReceivedSpan parentOf(ReceivedSpan span, List<ReceivedSpan> candidates) {
        return candidates.stream().filter(c -> c.spanId().equals(span.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError(span.name() + " has no parent among " + candidates.size()));
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
