package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.CancelRequest;
import io.bizmatters.agentexecutor.agent.LimitSettings;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Reads the incoming CloudEvent of an exchange, in any of the modes callers use, into an
 * {@link AgentJob}:
 * <ul>
 *   <li>binary: {@code ce-*} headers (HTTP or NATS), body = data;</li>
 *   <li>structured: {@code application/cloudevents+json}, or a JSON body with {@code specversion};</li>
 *   <li>bare data: the JobExecutionEvent itself (what NATS publishers often send), or a body whose
 *       {@code data} holds it without {@code specversion} (the Python service accepted that too).</li>
 * </ul>
 * Anything unreadable is a {@link BadInput} naming the field. A CloudEvent of type
 * {@value #CANCEL_TYPE} carries a {@link CancelRequest} instead of a job (docs/job-control.md).
 */
public class CloudEventReader {
    /** Exchange property: the job id a failed event can name even when the event is rejected. */
    public static final String READABLE_JOB_ID = "agentExecutorReadableJobId";
    /** Exchange property: the trace id, when it can be read, for the failed event's traceparent. */
    public static final String READABLE_TRACE_ID = "agentExecutorReadableTraceId";

    /** Exchange property: true once the exchange was read as a cancel rather than a job. */
    public static final String CANCEL = "agentExecutorCancel";
    /** The type of the CloudEvent that cancels a job; its data is {@code {"job_id", "reason"}}. */
    public static final String CANCEL_TYPE = "dev.my-platform.agent.cancel";

    private static final List<String> BINARY_REQUIRED = List.of("ce-id", "ce-source", "ce-type");

    private final ObjectMapper json;
    private final EventFormat structuredFormat;
    private final LimitSettings limits;

    /** A reader with the default limits of {@link LimitSettings}. */
    public CloudEventReader(ObjectMapper json) {
        this(json, LimitSettings.fromEnvironment(Map.of()));
    }

    public CloudEventReader(ObjectMapper json, LimitSettings limits) {
        this.json = json;
        this.structuredFormat = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        this.limits = limits;
    }

    public AgentJob read(Exchange exchange) {
        exchange.setProperty(READABLE_JOB_ID, JobExecutionEvents.UNKNOWN_JOB_ID);
        JsonNode data = data(exchange, "a JobExecutionEvent");
        exchange.setProperty(READABLE_JOB_ID, JobExecutionEvents.readableJobId(data));
        exchange.setProperty(READABLE_TRACE_ID, JobExecutionEvents.readableTraceId(data));
        return JobExecutionEvents.toAgentJob(data, limits);
    }

    /**
     * True when the exchange carries a cancel CloudEvent: its {@code ce-type} header, or the
     * {@code type} of a structured-mode body. Anything unreadable is left to {@link #read}.
     */
    public boolean isCancel(Exchange exchange) {
        Message in = exchange.getIn();
        if (in.getHeader("ce-specversion") != null) {
            return CANCEL_TYPE.equals(in.getHeader("ce-type", String.class));
        }
        try {
            byte[] body = in.getBody(byte[].class);
            JsonNode root = body == null || body.length == 0 ? null : json.readTree(body);
            return root != null && root.has("specversion") && CANCEL_TYPE.equals(root.path("type").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** The cancel a {@link #isCancel cancel CloudEvent} carries; its data needs a {@code job_id}. */
    public CancelRequest readCancel(Exchange exchange) {
        exchange.setProperty(CANCEL, true);
        exchange.setProperty(READABLE_JOB_ID, JobExecutionEvents.UNKNOWN_JOB_ID);
        JsonNode data = data(exchange, "{\"job_id\", \"reason\"}");
        if (!data.isObject()) {
            throw new BadInput("data", "the data of a cancel must be a JSON object {\"job_id\", \"reason\"}");
        }
        return new CancelRequest(JobExecutionEvents.nonBlankText(data, "job_id"), reason(data.get("reason"), "data.reason"));
    }

    /** A cancel's optional reason: a string, or absent. */
    public static String reason(JsonNode reason, String field) {
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isTextual()) {
            throw new BadInput(field, field + " must be a string");
        }
        return reason.asText();
    }

    private JsonNode data(Exchange exchange, String expected) {
        Message in = exchange.getIn();
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new BadInput("body", "the request body is empty; expected a CloudEvent whose data is " + expected);
        }
        return in.getHeader("ce-specversion") != null ? binaryModeData(in, body) : bodyData(in, body);
    }

    private JsonNode binaryModeData(Message in, byte[] body) {
        for (String header : BINARY_REQUIRED) {
            String value = in.getHeader(header, String.class);
            if (value == null || value.isBlank()) {
                throw new BadInput(header, "binary-mode CloudEvent lacks the " + header + " header");
            }
        }
        SpecVersion specVersion;
        try {
            specVersion = SpecVersion.parse(in.getHeader("ce-specversion", String.class));
        } catch (CloudEventRWException e) {
            throw new BadInput("ce-specversion", "unsupported CloudEvents spec version: " + e.getMessage());
        }
        URI source;
        try {
            source = URI.create(in.getHeader("ce-source", String.class));
        } catch (IllegalArgumentException e) {
            throw new BadInput("ce-source", "ce-source is not a URI reference: " + e.getMessage());
        }
        // Built for the SDK's own validation of the required attributes.
        CloudEventBuilder.fromSpecVersion(specVersion)
                .withId(in.getHeader("ce-id", String.class))
                .withSource(source)
                .withType(in.getHeader("ce-type", String.class))
                .build();
        return parse(body, "data");
    }

    private JsonNode bodyData(Message in, byte[] body) {
        JsonNode root = parse(body, "body");
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (root.has("specversion") || contentType.startsWith(JsonFormat.CONTENT_TYPE)) {
            return structuredModeData(body);
        }
        return root.has("data") && !root.has("job_id") ? root.get("data") : root;
    }

    private JsonNode structuredModeData(byte[] body) {
        CloudEvent event;
        try {
            event = structuredFormat.deserialize(body);
        } catch (RuntimeException e) { // the SDK reports a missing attribute in several exception types
            throw new BadInput("specversion", "not a valid structured CloudEvent: " + e.getMessage());
        }
        CloudEventData data = event.getData();
        if (data == null) {
            throw new BadInput("data", "the CloudEvent has no data; expected a JobExecutionEvent");
        }
        return parse(data.toBytes(), "data");
    }

    private JsonNode parse(byte[] bytes, String field) {
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new BadInput(field, field + " is empty; expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadInput(field, field + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInput(field, field + " cannot be read: " + e.getMessage());
        }
    }
}
