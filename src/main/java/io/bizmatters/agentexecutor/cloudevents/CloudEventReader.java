package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
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

/**
 * Reads the incoming CloudEvent of an exchange, in any of the modes callers use, into an
 * {@link AgentJob}:
 * <ul>
 *   <li>binary: {@code ce-*} headers (HTTP or NATS), body = data;</li>
 *   <li>structured: {@code application/cloudevents+json}, or a JSON body with {@code specversion};</li>
 *   <li>bare data: the JobExecutionEvent itself (what NATS publishers often send), or a body whose
 *       {@code data} holds it without {@code specversion} (the Python service accepted that too).</li>
 * </ul>
 * Anything unreadable is a {@link BadInput} naming the field.
 */
public class CloudEventReader {
    /** Exchange property: the job id a failed event can name even when the event is rejected. */
    public static final String READABLE_JOB_ID = "agentExecutorReadableJobId";
    /** Exchange property: the trace id, when it can be read, for the failed event's traceparent. */
    public static final String READABLE_TRACE_ID = "agentExecutorReadableTraceId";

    /** Exchange property: the incoming W3C traceparent (CloudEvent extension or header), when there is one. */
    public static final String INCOMING_TRACEPARENT = "agentExecutorIncomingTraceparent";
    /** Exchange property: the CloudEvent's {@code time} (when it was published), when it has one. */
    public static final String EVENT_TIME = "agentExecutorEventTime";

    private static final List<String> BINARY_REQUIRED = List.of("ce-id", "ce-source", "ce-type");

    private final ObjectMapper json;
    private final EventFormat structuredFormat;

    public CloudEventReader(ObjectMapper json) {
        this.json = json;
        this.structuredFormat = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    }

    public AgentJob read(Exchange exchange) {
        exchange.setProperty(READABLE_JOB_ID, JobExecutionEvents.UNKNOWN_JOB_ID);
        Message in = exchange.getIn();
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new BadInput("body", "the request body is empty; expected a CloudEvent whose data is a JobExecutionEvent");
        }
        exchange.setProperty(INCOMING_TRACEPARENT, in.getHeader("traceparent", String.class));
        JsonNode data = in.getHeader("ce-specversion") != null ? binaryModeData(exchange, body) : bodyData(exchange, body);
        exchange.setProperty(READABLE_JOB_ID, JobExecutionEvents.readableJobId(data));
        exchange.setProperty(READABLE_TRACE_ID, JobExecutionEvents.readableTraceId(data));
        return JobExecutionEvents.toAgentJob(data);
    }

    private JsonNode binaryModeData(Exchange exchange, byte[] body) {
        Message in = exchange.getIn();
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
        String traceparent = in.getHeader("ce-traceparent", String.class);
        if (traceparent != null) {
            exchange.setProperty(INCOMING_TRACEPARENT, traceparent);
        }
        String time = in.getHeader("ce-time", String.class);
        if (time != null) {
            exchange.setProperty(EVENT_TIME, time);
        }
        // Built for the SDK's own validation of the required attributes.
        CloudEventBuilder.fromSpecVersion(specVersion)
                .withId(in.getHeader("ce-id", String.class))
                .withSource(source)
                .withType(in.getHeader("ce-type", String.class))
                .build();
        return parse(body, "data");
    }

    private JsonNode bodyData(Exchange exchange, byte[] body) {
        JsonNode root = parse(body, "body");
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (root.has("specversion") || contentType.startsWith(JsonFormat.CONTENT_TYPE)) {
            return structuredModeData(exchange, body);
        }
        return root.has("data") && !root.has("job_id") ? root.get("data") : root;
    }

    private JsonNode structuredModeData(Exchange exchange, byte[] body) {
        CloudEvent event;
        try {
            event = structuredFormat.deserialize(body);
        } catch (RuntimeException e) { // the SDK reports a missing attribute in several exception types
            throw new BadInput("specversion", "not a valid structured CloudEvent: " + e.getMessage());
        }
        if (event.getExtension("traceparent") != null) {
            exchange.setProperty(INCOMING_TRACEPARENT, event.getExtension("traceparent").toString());
        }
        if (event.getTime() != null) {
            exchange.setProperty(EVENT_TIME, event.getTime().toString());
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
