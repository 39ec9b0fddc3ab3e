package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.LimitSettings;
import io.bizmatters.agentexecutor.failure.BadInput;

/**
 * Validates a JobExecutionEvent (a CloudEvent's data) into an {@link AgentJob}; every field is
 * required but {@code limits}, which falls back to the service's defaults.
 */
public final class JobExecutionEvents {
    /** The job id a failed event carries when the incoming event has none that can be read. */
    public static final String UNKNOWN_JOB_ID = "unknown";

    private JobExecutionEvents() {
    }

    public static AgentJob toAgentJob(JsonNode data, LimitSettings limits) {
        if (data == null || !data.isObject()) {
            throw new BadInput("data", "data must be a JSON object holding a JobExecutionEvent");
        }
        return new AgentJob(
                nonBlankText(data, "job_id"),
                nonBlankText(data, "trace_id"),
                nonEmptyObject(data, "agent_definition"),
                nonEmptyObject(data, "input_payload"),
                limits.read(data.get("limits")));
    }

    /** The job id if it can be read, so even a rejected event's failed event names its job. */
    public static String readableJobId(JsonNode data) {
        JsonNode id = data == null ? null : data.get("job_id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? id.asText().strip() : UNKNOWN_JOB_ID;
    }

    /** The trace id if it can be read, else null. */
    public static String readableTraceId(JsonNode data) {
        JsonNode id = data == null ? null : data.get("trace_id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? id.asText().strip() : null;
    }

    static String nonBlankText(JsonNode data, String name) {
        JsonNode value = data.get(name);
        if (value == null || value.isNull()) {
            throw missing(name);
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new BadInput("data." + name, "data." + name + " must be a non-blank string");
        }
        return value.asText().strip();
    }

    private static ObjectNode nonEmptyObject(JsonNode data, String name) {
        JsonNode value = data.get(name);
        if (value == null || value.isNull()) {
            throw missing(name);
        }
        if (!value.isObject() || value.isEmpty()) {
            throw new BadInput("data." + name, "data." + name + " must be a non-empty JSON object");
        }
        return (ObjectNode) value;
    }

    private static BadInput missing(String name) {
        return new BadInput("data." + name, "data." + name + " is required");
    }
}
