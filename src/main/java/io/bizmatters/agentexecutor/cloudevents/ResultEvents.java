package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;

/** Writes the result CloudEvents of contract.md: types, source, subject, id, traceparent and data. */
public class ResultEvents {
    public static final String COMPLETED_TYPE = "dev.my-platform.agent.completed";
    public static final String FAILED_TYPE = "dev.my-platform.agent.failed";

    private final ObjectMapper json;
    private final URI source;
    private final Supplier<String> jobSpanId;
    private final EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    /** @param serviceName OTEL_SERVICE_NAME, the {@code source} of every result event */
    public ResultEvents(ObjectMapper json, String serviceName) {
        this(json, serviceName, () -> null);
    }

    /**
     * @param jobSpanId the span id of the job being answered, on the publishing thread (null when
     *                  there is none), so the traceparent lets a caller join the job's trace
     */
    public ResultEvents(ObjectMapper json, String serviceName, Supplier<String> jobSpanId) {
        this.json = json;
        this.source = URI.create(serviceName);
        this.jobSpanId = jobSpanId;
    }

    /** The completed event's {@code result} object, also what the jobs table stores. */
    public ObjectNode result(AgentOutcome outcome) {
        return json.createObjectNode().put("output", outcome.output()).put("status", "completed");
    }

    /**
     * The failed event's {@code error} object, also what the jobs table stores. {@code type} names
     * the class that failed the job: the cause a {@link JobFailure} wraps, when there is one.
     */
    public ObjectNode error(Throwable failure) {
        Throwable named = failure instanceof JobFailure && failure.getCause() != null ? failure.getCause() : failure;
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return json.createObjectNode()
                .put("message", String.valueOf(failure.getMessage()))
                .put("type", named.getClass().getSimpleName())
                .put("stack_trace", trace.toString());
    }

    public CloudEvent completed(String jobId, String traceId, JsonNode result) {
        return event(COMPLETED_TYPE, jobId, traceId, json.createObjectNode().put("job_id", jobId).set("result", result));
    }

    /** @param traceId null when the incoming event had none that could be read */
    public CloudEvent failed(String jobId, String traceId, JsonNode error) {
        return event(FAILED_TYPE, jobId, traceId, json.createObjectNode().put("job_id", jobId).set("error", error));
    }

    public byte[] serialize(CloudEvent event) {
        return format.serialize(event);
    }

    private CloudEvent event(String type, String jobId, String traceId, ObjectNode data) {
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withType(type)
                .withSource(source)
                .withSubject(jobId)
                .withExtension("traceparent", TraceParent.forTraceId(traceId == null ? randomTraceId() : traceId, jobSpanId.get()))
                .withDataContentType("application/json")
                .withData(data.toString().getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static String randomTraceId() {
        return UUID.randomUUID().toString();
    }
}
