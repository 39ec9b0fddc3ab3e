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
 * {@code agent}, inside a delegation {@code task_call_id} and {@code parent_task_call_id}, and
 * {@code data}; old readers read only the first and the last. One instance speaks for the job; its
 * {@link #withinTask} views speak for one delegation each and share the job's sink and roster.
 */
final class JobStream implements JobEvents {
    /** The {@code type} of the error that ends a cancelled job (the simple name of {@code failure.Cancelled}). */
    private static final String CANCELLED_TYPE = "Cancelled";
    private final Job job;
    /** The delegation this view speaks for, or null for the job itself. */
    private final Delegation delegation;

    /** What every view of one job shares. */
    private static final class Job {
        final ObjectMapper json;
        final String jobId;
        final Clock clock;
        final Consumer<StreamEvent> sink;
        final Consumer<RuntimeException> onUnserializable;
        /** Written once on the job's thread, read by the model's stream readers and the branches too. */
        volatile Roster roster = new Roster(Map.of(), null);

        Job(ObjectMapper json, String jobId, Clock clock, Consumer<StreamEvent> sink, Consumer<RuntimeException> onUnserializable) {
            this.json = json;
            this.jobId = jobId;
            this.clock = clock;
            this.sink = sink;
            this.onUnserializable = onUnserializable;
        }
    }

    private record Roster(Map<String, String> namesById, String orchestratorId) {
    }

    /** A {@code task} call at work, and the delegation it was made in (null at the first level). */
    private record Delegation(String taskCallId, Delegation parent) {
    }

    JobStream(ObjectMapper json, String jobId, Clock clock, Consumer<StreamEvent> sink,
              Consumer<RuntimeException> onUnserializable) {
        this(new Job(json, jobId, clock, sink, onUnserializable), null);
    }

    private JobStream(Job job, Delegation delegation) {
        this.job = job;
        this.delegation = delegation;
    }

    @Override
    public JobEvents withinTask(String taskCallId) {
        return new JobStream(job, new Delegation(taskCallId, delegation));
    }

    @Override
    public void introduceAgents(Map<String, String> namesById, String orchestratorId) {
        job.roster = new Roster(Map.copyOf(namesById), orchestratorId);
    }

    @Override
    public void llmToken(String agentId, String text) {
        publish(StreamEventType.LLM_STREAM, agentId, data -> data
                .put("node", agentId)
                .put("content", text)
                .put("raw_event", PythonRepr.textChunk(job.jobId, agentId, text)));
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
            data.put("raw_event", PythonRepr.toolCallChunk(job.jobId, agentId, index, toolCallId, toolName, argumentsChunk));
        });
    }

    @Override
    public void toolCall(String agentId, String toolCallId, String toolName, String argumentsJson) {
        publishTool(StreamEventType.TOOL_START, agentId, toolCallId, toolName, "input", arguments(argumentsJson));
    }

    @Override
    public void toolResult(String agentId, String toolCallId, String toolName, String result) {
        publishTool(StreamEventType.TOOL_END, agentId, toolCallId, toolName, "output", job.json.getNodeFactory().textNode(result));
    }

    /** A tool's start or end: the same fields, with its input or its output. */
    private void publishTool(StreamEventType type, String agentId, String toolCallId, String toolName, String field, JsonNode value) {
        publish(type, agentId, data -> data
                .put("node", agentId)
                .put("tool_call_id", toolCallId)
                .put("name", toolName)
                .set(field, value));
    }

    @Override
    public void stateUpdate(String graphNode, String agentId, Object messages, Object files, Object todos) {
        // The state goes into the event's bytes as it is, without a JSON tree of its own: write() serializes
        // it before it returns, so the snapshot is still taken on the job's thread.
        publish(StreamEventType.STATE_UPDATE, agentId, data -> {
            data.put("node", graphNode);
            data.putPOJO("messages", messages == null ? List.of() : messages);
            data.putPOJO("files", files == null ? Map.of() : files);
            data.putPOJO("todos", todos == null ? List.of() : todos);
        });
    }

    @Override
    public void interrupted(List<Interrupt> interrupts) {
        publishForJob(StreamEventType.INTERRUPT, data -> data
                .put("job_id", job.jobId)
                .put("status", "interrupted")
                .set("interrupts", Interrupt.toJson(interrupts, job.json)));
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
        publishForJob(StreamEventType.RESUME_REJECTED, data -> data
                .put("job_id", job.jobId)
                .put("detail", detail)
                .put("field", field));
    }

    @Override
    public void retrying(String reason, long deliveryCount, Long nextAttemptSeconds) {
        publishForJob(StreamEventType.RETRY, data -> {
            data.put("job_id", job.jobId).put("status", "retrying").put("reason", reason).put("delivery_count", deliveryCount);
            if (nextAttemptSeconds == null) {
                data.putNull("next_attempt_in_seconds");
            } else {
                data.put("next_attempt_in_seconds", nextAttemptSeconds);
            }
        });
    }

    @Override
    public void end() {
        publishForJob(StreamEventType.END, data -> data.put("job_id", job.jobId).put("status", "completed"));
    }

    @Override
    public void error(String message, String type) {
        publishForJob(StreamEventType.ERROR, data -> data
                .put("error", message)
                .put("type", type)
                .put("job_id", job.jobId)
                // The status the job's row gets: a cancel (failure.Cancelled) is not a failure of the job.
                .put("status", CANCELLED_TYPE.equals(type) ? "cancelled" : "failed"));
    }

    /** The model's arguments as JSON when they parse, else as the text it sent: a watcher sees what ran. */
    private JsonNode arguments(String argumentsJson) {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            return job.json.createObjectNode();
        }
        try {
            return job.json.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            return job.json.getNodeFactory().textNode(argumentsJson);
        }
    }

    /** An event of the agent at work in this view's delegation, which it names. */
    private void publish(StreamEventType type, String agentId, Consumer<ObjectNode> fillData) {
        write(type, agentId, delegation, fillData);
    }

    /** An event of the whole job: the orchestrator's, in any view, and in the shape old readers know. */
    private void publishForJob(StreamEventType type, Consumer<ObjectNode> fillData) {
        write(type, job.roster.orchestratorId(), null, fillData);
    }

    private void write(StreamEventType type, String agentId, Delegation within, Consumer<ObjectNode> fillData) {
        try {
            ObjectNode event = job.json.createObjectNode().put("event_type", type.wireName())
                    .put("ts", job.clock.instant().toString());
            if (agentId == null) {
                event.putNull("agent");
            } else {
                event.putObject("agent").put("id", agentId).put("name", job.roster.namesById().getOrDefault(agentId, agentId));
            }
            if (within != null) {
                event.put("task_call_id", within.taskCallId())
                        .put("parent_task_call_id", within.parent() == null ? null : within.parent().taskCallId());
            }
            fillData.accept(event.putObject("data"));
            job.sink.accept(new StreamEvent(job.jobId, type, job.json.writeValueAsBytes(event)));
        } catch (JsonProcessingException | RuntimeException e) {
            job.onUnserializable.accept(e instanceof RuntimeException r ? r : new IllegalArgumentException(e));
        }
    }
}
