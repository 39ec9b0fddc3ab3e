package io.bizmatters.agentexecutor.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.Interrupt;
import java.util.List;
import java.util.function.Consumer;

/**
 * The events of one job, written as the JSON docs/events.md shows and handed to the publisher.
 * Serializing here, on the job's thread, snapshots the state the engine may change next.
 */
final class JobStream implements JobEvents {
    static final String CHANNEL_PREFIX = "langgraph:stream:";

    private final ObjectMapper json;
    private final String jobId;
    private final String channel;
    private final Consumer<StreamEvent> sink;
    private final Consumer<RuntimeException> onUnserializable;

    JobStream(ObjectMapper json, String jobId, Consumer<StreamEvent> sink, Consumer<RuntimeException> onUnserializable) {
        this.json = json;
        this.jobId = jobId;
        this.channel = CHANNEL_PREFIX + jobId;
        this.sink = sink;
        this.onUnserializable = onUnserializable;
    }

    @Override
    public void llmToken(String node, String text) {
        publish(StreamEventType.LLM_STREAM, data -> data
                .put("node", node)
                .put("content", text)
                .put("raw_event", PythonRepr.textChunk(jobId, node, text)));
    }

    @Override
    public void llmToolCallChunk(String node, int index, String toolCallId, String toolName, String argumentsChunk) {
        publish(StreamEventType.LLM_STREAM, data -> {
            data.put("node", node).put("content", "");
            data.putArray("tool_call_chunks").addObject()
                    .put("index", index)
                    .put("id", toolCallId)
                    .put("name", toolName)
                    .put("args", argumentsChunk);
            data.put("raw_event", PythonRepr.toolCallChunk(jobId, node, index, toolCallId, toolName, argumentsChunk));
        });
    }

    @Override
    public void toolCall(String node, String toolCallId, String toolName, String argumentsJson) {
        publish(StreamEventType.TOOL_START, data -> data
                .put("node", node)
                .put("tool_call_id", toolCallId)
                .put("name", toolName)
                .set("input", arguments(argumentsJson)));
    }

    @Override
    public void toolResult(String node, String toolCallId, String toolName, String result) {
        publish(StreamEventType.TOOL_END, data -> data
                .put("node", node)
                .put("tool_call_id", toolCallId)
                .put("name", toolName)
                .put("output", result));
    }

    @Override
    public void stateUpdate(String node, Object messages, Object files, Object todos) {
        publish(StreamEventType.STATE_UPDATE, data -> {
            data.put("node", node);
            data.set("messages", messages == null ? json.createArrayNode() : json.valueToTree(messages));
            data.set("files", files == null ? json.createObjectNode() : json.valueToTree(files));
            data.set("todos", todos == null ? json.createArrayNode() : json.valueToTree(todos));
        });
    }

    @Override
    public void interrupted(List<Interrupt> interrupts) {
        publish(StreamEventType.INTERRUPT, data -> data.put("job_id", jobId).set("interrupts", Interrupt.toJson(interrupts, json)));
    }

    @Override
    public void decision(String node, String toolName, Decision decision) {
        publish(StreamEventType.DECISION, data -> {
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
        publish(StreamEventType.RESUME_REJECTED, data -> data.put("job_id", jobId).put("detail", detail).put("field", field));
    }

    @Override
    public void end() {
        publish(StreamEventType.END, data -> {
        });
    }

    @Override
    public void error(String message, String type) {
        publish(StreamEventType.ERROR, data -> data
                .put("error", message)
                .put("type", type)
                .put("job_id", jobId));
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

    private void publish(StreamEventType type, Consumer<ObjectNode> fillData) {
        try {
            ObjectNode event = json.createObjectNode().put("event_type", type.wireName());
            fillData.accept(event.putObject("data"));
            sink.accept(new StreamEvent(channel, type, json.writeValueAsString(event)));
        } catch (JsonProcessingException | RuntimeException e) {
            onUnserializable.accept(e instanceof RuntimeException r ? r : new IllegalArgumentException(e));
        }
    }
}
