package io.bizmatters.agentexecutor.testsupport;

import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import io.bizmatters.agentexecutor.streaming.JobEvents;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link JobEventPublisher} that keeps every event in emission order, for assertions. Each event
 * is a {@link Recorded} with its type (the contract's event names where they exist) and details;
 * a state update's detail is the agent whose step it follows. An event emitted through a
 * {@link JobEvents#withinTask} view records its delegation as the stream does: the {@code task}
 * call and the delegation that call was made in (null outside one, and on job-level events).
 */
public final class RecordingJobEvents implements JobEventPublisher {
    private final List<Recorded> events = new CopyOnWriteArrayList<>();

    public record Recorded(String jobId, String type, String node, String detail, Object payload,
                           String taskCallId, String parentTaskCallId) {
    }

    @Override
    public JobEvents forJob(String jobId) {
        return new Recorder(jobId, null, null);
    }

    public List<Recorded> of(String jobId) {
        return events.stream().filter(e -> e.jobId().equals(jobId)).toList();
    }

    public List<String> typesOf(String jobId) {
        return of(jobId).stream().map(Recorded::type).toList();
    }

    private final class Recorder implements JobEvents {
        private final String jobId;
        private final String taskCallId;
        private final String parentTaskCallId;

        Recorder(String jobId, String taskCallId, String parentTaskCallId) {
            this.jobId = jobId;
            this.taskCallId = taskCallId;
            this.parentTaskCallId = parentTaskCallId;
        }

        private void record(String type, String node, String detail, Object payload) {
            events.add(new Recorded(jobId, type, node, detail, payload, taskCallId, parentTaskCallId));
        }

        private void recordForJob(String type, String node, String detail, Object payload) {
            events.add(new Recorded(jobId, type, node, detail, payload, null, null));
        }

        @Override
        public JobEvents withinTask(String taskCallId) {
            return new Recorder(jobId, taskCallId, this.taskCallId);
        }

        @Override
        public void introduceAgents(Map<String, String> namesById, String orchestratorId) {
            recordForJob("agents", orchestratorId, null, namesById);
        }

        @Override
        public void llmToken(String node, String text) {
            record("token", node, text, null);
        }

        @Override
        public void llmToolCallChunk(String node, int index, String toolCallId, String toolName, String argumentsChunk) {
            record("tool_call_chunk", node, toolName, argumentsChunk);
        }

        @Override
        public void toolCall(String node, String toolCallId, String toolName, String argumentsJson) {
            record("tool_call", node, toolName, argumentsJson);
        }

        @Override
        public void toolResult(String node, String toolCallId, String toolName, String result) {
            record("tool_result", node, toolName, result);
        }

        @Override
        public void stateUpdate(String graphNode, String agentId, Object messages, Object files, Object todos) {
            record("state_update", graphNode, agentId, List.of(messages, files, todos));
        }

        @Override
        public void retrying(String reason, long deliveryCount, Long nextAttemptSeconds) {
            recordForJob("retry", null, reason, deliveryCount);
        }

        @Override
        public void interrupted(List<Interrupt> interrupts) {
            recordForJob("interrupt", null, null, interrupts);
        }

        @Override
        public void decision(String node, String toolName, Decision decision) {
            record("decision", node, toolName, decision);
        }

        @Override
        public void resumeRejected(String detail, String field) {
            recordForJob("resume_rejected", null, field, detail);
        }

        @Override
        public void end() {
            recordForJob("end", null, null, null);
        }

        @Override
        public void error(String message, String type) {
            recordForJob("error", null, type, message);
        }
    }
}
