package io.bizmatters.agentexecutor.agent.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.util.ObjectHelper;

/**
 * Calls a tool route: the model's arguments become the body (a Map, so a route reads
 * {@code ${body[text]}}), the caller's ids and W3C {@code traceparent} become headers, and the reply body becomes the text the
 * model reads. A tool that fails tells the model so in words; only an {@link InfrastructureFault}
 * from the route fails the job, since the model cannot fix a database outage.
 */
final class RouteToolInvocation implements BoundTool.Invocation {
    static final String JOB_ID = "jobId";
    static final String TRACE_ID = "traceId";
    static final String TOOL_CALL_ID = "toolCallId";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate producer;
    private final String toolName;
    /** The tool route's own endpoint, so a call does not resolve its URI again. */
    private final Endpoint endpoint;

    RouteToolInvocation(ProducerTemplate producer, String toolName, Endpoint endpoint) {
        this.producer = producer;
        this.toolName = toolName;
        this.endpoint = endpoint;
    }

    @Override
    public String invoke(BoundTool.CallContext context, String argumentsJson) {
        Map<String, Object> arguments;
        try {
            arguments = argumentsJson == null || argumentsJson.isBlank()
                    ? new LinkedHashMap<>()
                    : JSON.readValue(argumentsJson, new TypeReference<LinkedHashMap<String, Object>>() {
                    });
        } catch (JsonProcessingException e) {
            return failed("its arguments must be a JSON object (" + e.getOriginalMessage() + ")");
        }
        Exchange reply = producer.send(endpoint, exchange -> {
            exchange.getMessage().setBody(arguments);
            exchange.getMessage().setHeader(JOB_ID, context.jobId());
            exchange.getMessage().setHeader(TRACE_ID, context.traceId());
            exchange.getMessage().setHeader(TOOL_CALL_ID, context.toolCallId());
            // The route's Camel spans (camel-opentelemetry2) become children of the tool execution's span.
            W3CTraceContextPropagator.getInstance().inject(Context.current(), exchange.getMessage(),
                    (message, name, value) -> message.setHeader(name, value));
        });
        Exception failure = reply.getException();
        if (Thread.interrupted() || ObjectHelper.getException(InterruptedException.class, failure) != null) {
            // The job was stopped (its message handed back): whatever the route did, no answer of it
            // may become a checkpointed tool result beside the pod that resumes the job. The fault
            // carries the interruption; the flag is cleared so the lease can still be released.
            throw new InfrastructureFault("tool", "job " + context.jobId() + " was interrupted while tool "
                    + toolName + " ran", failure);
        }
        if (failure != null) {
            InfrastructureFault fault = ObjectHelper.getException(InfrastructureFault.class, failure);
            if (fault != null) {
                throw fault;
            }
            return failed(failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName());
        }
        return text(reply);
    }

    private String failed(String reason) {
        return "tool " + toolName + " failed: " + reason;
    }

    private static String text(Exchange reply) {
        Object body = reply.getMessage().getBody();
        if (body == null) {
            return "";
        }
        if (body instanceof Map<?, ?> || body instanceof Collection<?>) {
            try {
                return JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                return body.toString();
            }
        }
        String converted = reply.getMessage().getBody(String.class);
        return converted != null ? converted : body.toString();
    }
}
