package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.CancelRequest;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.ingress.Deliveries;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the incoming CloudEvent of an exchange, in any of the modes callers use, into an
 * {@link AgentJob}:
 * <ul>
 *   <li>binary: {@code ce-*} headers (HTTP or NATS), body = data; the CloudEvents SDK tells the
 *       mode and reads the headers ({@link BinaryModeAttributes});</li>
 *   <li>structured: {@code application/cloudevents+json}, or a JSON body with {@code specversion};</li>
 *   <li>bare data: the JobExecutionEvent itself (what NATS publishers often send), or a body whose
 *       {@code data} holds it without {@code specversion} (the Python service accepted that too).</li>
 * </ul>
 * Parsing is strict: one JSON document and nothing after it, over HTTP a JSON content type and no
 * query string (so {@code ce-*} attributes come from headers only), the required attributes
 * present ({@link RequiredAttributes}). Anything unreadable is a
 * {@link BadInput} naming every offending field, in words of our own: a parser's message would
 * carry its class names and the caller's text. A CloudEvent of type {@value #CANCEL_TYPE} carries
 * a {@link CancelRequest} instead of a job (docs/job-control.md).
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

    /** Exchange property: true once the exchange was read as a cancel rather than a job. */
    public static final String CANCEL = "agentExecutorCancel";
    /** The type of the CloudEvent that cancels a job; its data is {@code {"job_id", "reason"}}. */
    public static final String CANCEL_TYPE = "dev.my-platform.agent.cancel";

    private static final String STRUCTURED_TYPE = "application/cloudevents+json";

    private final ObjectReader json;
    private final JobExecutionEvents events;

    public CloudEventReader(ObjectMapper json, JobExecutionEvents events) {
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.events = events;
    }

    public AgentJob read(Exchange exchange) {
        return events.toAgentJob(data(exchange));
    }

    /** The CloudEvent's data, in whichever mode it came; the readable job and trace ids are noted on the exchange. */
    JsonNode data(Exchange exchange) {
        exchange.setProperty(READABLE_JOB_ID, JobExecutionEvents.UNKNOWN_JOB_ID);
        JsonNode data = data(exchange, "a JobExecutionEvent");
        exchange.setProperty(READABLE_JOB_ID, events.readableJobId(data));
        exchange.setProperty(READABLE_TRACE_ID, events.readableTraceId(data));
        return data;
    }

    /**
     * True when the exchange carries a cancel CloudEvent: its {@code ce-type} header, or the
     * {@code type} of a structured-mode body. Anything unreadable is left to {@link #read}.
     */
    public boolean isCancel(Exchange exchange) {
        Message in = exchange.getIn();
        byte[] body = in.getBody(byte[].class);
        Map<String, String> binaryMode = BinaryModeAttributes.of(in, body);
        if (binaryMode != null) {
            return CANCEL_TYPE.equals(binaryMode.get("type"));
        }
        try {
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
        return new CancelRequest(events.cancelledJobId(data), reason(data.get("reason"), "data.reason"));
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
        if (!Deliveries.cameFromJetStream(exchange)) {
            checkHttpRequest(in);
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new BadInput("body", "the request body is empty; expected a CloudEvent whose data is " + expected);
        }
        exchange.setProperty(INCOMING_TRACEPARENT, in.getHeader("traceparent", String.class));
        Map<String, String> binaryMode = BinaryModeAttributes.of(in, body);
        return binaryMode != null ? binaryModeData(exchange, binaryMode, body) : bodyData(exchange, body);
    }

    /** POST / reads a JSON body; attributes in a query string would let a URL switch the event's mode. */
    private static void checkHttpRequest(Message in) {
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null && !query.isEmpty()) {
            throw new BadInput("query", "POST / takes no query parameters; send CloudEvent attributes as ce-* headers");
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.isBlank() && !isJson(mediaType(contentType))) {
            throw new BadInput("Content-Type", "Content-Type " + BadInput.quote(mediaType(contentType))
                    + " is not accepted; send application/json or " + STRUCTURED_TYPE);
        }
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.startsWith("application/") && mediaType.endsWith("+json");
    }

    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
    }

    private JsonNode binaryModeData(Exchange exchange, Map<String, String> attributes, byte[] body) {
        RequiredAttributes.check(attributes::get, "ce-");
        noteTracing(exchange, attributes.get("traceparent"), attributes.get("time"));
        return parse(body, "data");
    }

    private JsonNode bodyData(Exchange exchange, byte[] body) {
        JsonNode root = parse(body, "body");
        String contentType = mediaType(exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class));
        if (root.has("specversion") || contentType.equals(STRUCTURED_TYPE)) {
            return structuredModeData(exchange, root);
        }
        return root.has("data") && !root.has("job_id") ? root.get("data") : root;
    }

    private JsonNode structuredModeData(Exchange exchange, JsonNode event) {
        if (!event.isObject()) {
            throw new BadInput("body", "a structured CloudEvent must be a JSON object");
        }
        Function<String, String> attribute = name -> event.path(name).isTextual() ? event.get(name).asText() : null;
        RequiredAttributes.check(attribute, "");
        noteTracing(exchange, attribute.apply("traceparent"), attribute.apply("time"));
        JsonNode data = event.get("data");
        if (data == null || data.isNull()) {
            throw new BadInput("data", "the CloudEvent has no data; expected a JobExecutionEvent");
        }
        // Some publishers encode data as a JSON string; it must still hold exactly one document.
        return data.isTextual() ? parse(data.asText().getBytes(StandardCharsets.UTF_8), "data") : data;
    }

    /**
     * The event's own traceparent extension (it wins over a plain header) and its time, for the
     * delivery's span and the queue-wait metric; a malformed one is ignored there, not rejected.
     */
    private static void noteTracing(Exchange exchange, String traceparent, String time) {
        if (traceparent != null) {
            exchange.setProperty(INCOMING_TRACEPARENT, traceparent);
        }
        if (time != null) {
            exchange.setProperty(EVENT_TIME, time);
        }
    }

    private JsonNode parse(byte[] bytes, String field) {
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new BadInput(field, field + " is empty; expected JSON");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new BadInput(field, field + " exceeds the JSON limits (nesting depth, string or number length)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BadInput(field, field + " is not one valid JSON document" + where);
        } catch (IOException e) {
            throw new BadInput(field, field + " cannot be read as JSON");
        }
    }
}
