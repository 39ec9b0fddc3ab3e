package io.bizmatters.agentexecutor.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.Interrupt;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events of one job, written as the JSON docs/events.md shows and handed to the publisher.
 * Serializing here, on the job's thread, snapshots the state the engine may change next. The
 * envelope is {@code event_type}, then {@code seq} (added by the publisher), {@code ts},
 * {@code agent} and {@code data}; old readers read only the first and the last.
 */
final class JobStream implements JobEvents {
    /** The {@code type} of the error that ends a cancelled job (the simple name of {@code failure.Cancelled}). */
    private static final String CANCELLED_TYPE = "Cancelled";
    private final ObjectMapper json;
    private final String jobId;
    private final Clock clock;
    private final Consumer<StreamEvent> sink;
    private final Consumer<RuntimeException> onUnserializable;
    /** Written once on the job's thread, read by the model's stream reader too. */
    private volatile Roster roster = new Roster(Map.of(), null);

    private record Roster(Map<String, String> namesById, String orchestratorId) {
    }

    JobStream(ObjectMapper json, String jobId, Clock clock, Consumer<StreamEvent> sink,
              Consumer<RuntimeException> onUnserializable) {
        this.json = json;
        this.jobId = jobId;
        this.clock = clock;
        this.sink = sink;
        this.onUnserializable = onUnserializable;
    }

    @Override
    public void introduceAgents(Map<String, String> namesById, String orchestratorId) {
        roster = new Roster(Map.copyOf(namesById), orchestratorId);
    }

    @Override
    public void llmToken(String agentId, String text) {
        publish(StreamEventType.LLM_STREAM, agentId, data -> data
                .put("node", agentId)
                .put("content", text)
                .put("raw_event", PythonRepr.textChunk(jobId, agentId, text)));
    }

    @Override
    public void llmToolCallChunk(String agentId, int index, String toolCallId, String toolName, String argumentsChunk) {
        publish(StreamEventType.LLM_STREAM, agentId, data -> {
            data.put("node", agentId).put("content", "");
            data.putArray("tool_call_chunks").addObject()
                    .put("index", index)
                    .put("id", toolCallId)
                    .put("name", toolName)
                    .put("args", argumentsChunk);
            data.put("raw_event", PythonRepr.toolCallChunk(jobId, agentId, index, toolCallId, toolName, argumentsChunk));
        });
    }

    @Override
    public void toolCall(String agentId, String toolCallId, String toolName, String argumentsJson) {
        publish(StreamEventType.TOOL_START, agentId, data -> data
                .put("node", agentId)
                .put("tool_call_id", toolCallId)
                .put("name", toolName)
                .set("input", arguments(argumentsJson)));
    }

    @Override
    public void toolResult(String agentId, String toolCallId, String toolName, String result) {
        publish(StreamEventType.TOOL_END, agentId, data -> data
                .put("node", agentId)
                .put("tool_call_id", toolCallId)
                .put("name", toolName)
                .put("output", result));
    }

    @Override
    public void stateUpdate(String graphNode, String agentId, Object messages, Object files, Object todos) {
        publish(StreamEventType.STATE_UPDATE, agentId, data -> {
            data.put("node", graphNode);
            data.set("messages", messages == null ? json.createArrayNode() : json.valueToTree(messages));
            data.set("files", files == null ? json.createObjectNode() : json.valueToTree(files));
            data.set("todos", todos == null ? json.createArrayNode() : json.valueToTree(todos));
        });
    }

    @Override
    public void interrupted(List<Interrupt> interrupts) {
        publish(StreamEventType.INTERRUPT, roster.orchestratorId(), data -> data
                .put("job_id", jobId)
                .put("status", "interrupted")
                .set("interrupts", Interrupt.toJson(interrupts, json)));
    }

    @Override
    public void decision(String node, String toolName, Decision decision) {
        publish(StreamEventType.DECISION, node, data -> {
            data.put("node", node).put("tool_call_id", decision.toolCallId()).put("name", toolName)
                    .put("type", decision.type().wireName());
            if (decision.editedArguments() != null) {
                data.set("args", arguments(decision.editedArguments()));
            }
            if (decision.message() != null) {
                data.put("message", decision.message());
            }
        });
    }

    @Override
    public void resumeRejected(String detail, String field) {
        publish(StreamEventType.RESUME_REJECTED, roster.orchestratorId(), data -> data
                .put("job_id", jobId)
                .put("detail", detail)
                .put("field", field));
    }

    @Override
    public void retrying(String reason, long deliveryCount, Long nextAttemptSeconds) {
        publish(StreamEventType.RETRY, roster.orchestratorId(), data -> {
            data.put("job_id", jobId).put("status", "retrying").put("reason", reason).put("delivery_count", deliveryCount);
            if (nextAttemptSeconds == null) {
                data.putNull("next_attempt_in_seconds");
            } else {
                data.put("next_attempt_in_seconds", nextAttemptSeconds);
            }
        });
    }

    @Override
    public void end() {
        publish(StreamEventType.END, roster.orchestratorId(), data -> data.put("job_id", jobId).put("status", "completed"));
    }

    @Override
    public void error(String message, String type) {
        publish(StreamEventType.ERROR, roster.orchestratorId(), data -> data
                .put("error", message)
                .put("type", type)
                .put("job_id", jobId)
                // The status the job's row gets: a cancel (failure.Cancelled) is not a failure of the job.
                .put("status", CANCELLED_TYPE.equals(type) ? "cancelled" : "failed"));
    }

    /** The model's arguments as JSON when they parse, else as the text it sent: a watcher sees what ran. */
    private JsonNode arguments(String argumentsJson) {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(argumentsJson);
        }
    }

    private void publish(StreamEventType type, String agentId, Consumer<ObjectNode> fillData) {
        try {
            ObjectNode event = json.createObjectNode().put("event_type", type.wireName())
                    .put("ts", clock.instant().toString());
            if (agentId == null) {
                event.putNull("agent");
            } else {
                event.putObject("agent").put("id", agentId).put("name", roster.namesById().getOrDefault(agentId, agentId));
            }
            fillData.accept(event.putObject("data"));
            sink.accept(new StreamEvent(jobId, type, json.writeValueAsBytes(event)));
        } catch (JsonProcessingException | RuntimeException e) {
            onUnserializable.accept(e instanceof RuntimeException r ? r : new IllegalArgumentException(e));
        }
    }
}
