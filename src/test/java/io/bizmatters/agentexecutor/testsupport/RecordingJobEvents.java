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
 * a state update's detail is the agent whose step it follows.
 */
public final class RecordingJobEvents implements JobEventPublisher {
    private final List<Recorded> events = new CopyOnWriteArrayList<>();

    public record Recorded(String jobId, String type, String node, String detail, Object payload) {
    }

    @Override
    public JobEvents forJob(String jobId) {
        return new JobEvents() {
            @Override
            public void introduceAgents(Map<String, String> namesById, String orchestratorId) {
                events.add(new Recorded(jobId, "agents", orchestratorId, null, namesById));
            }

            @Override
            public void llmToken(String node, String text) {
                events.add(new Recorded(jobId, "token", node, text, null));
            }

            @Override
            public void llmToolCallChunk(String node, int index, String toolCallId, String toolName, String argumentsChunk) {
                events.add(new Recorded(jobId, "tool_call_chunk", node, toolName, argumentsChunk));
            }

            @Override
            public void toolCall(String node, String toolCallId, String toolName, String argumentsJson) {
                events.add(new Recorded(jobId, "tool_call", node, toolName, argumentsJson));
            }

            @Override
            public void toolResult(String node, String toolCallId, String toolName, String result) {
                events.add(new Recorded(jobId, "tool_result", node, toolName, result));
            }

            @Override
            public void stateUpdate(String graphNode, String agentId, Object messages, Object files, Object todos) {
                events.add(new Recorded(jobId, "state_update", graphNode, agentId, List.of(messages, files, todos)));
            }

            @Override
            public void retrying(String reason, long deliveryCount, Long nextAttemptSeconds) {
                events.add(new Recorded(jobId, "retry", null, reason, deliveryCount));
            }

            @Override
            public void interrupted(List<Interrupt> interrupts) {
                events.add(new Recorded(jobId, "interrupt", null, null, interrupts));
            }

            @Override
            public void decision(String node, String toolName, Decision decision) {
                events.add(new Recorded(jobId, "decision", node, toolName, decision));
            }

            @Override
            public void resumeRejected(String detail, String field) {
                events.add(new Recorded(jobId, "resume_rejected", null, field, detail));
            }

            @Override
            public void end() {
                events.add(new Recorded(jobId, "end", null, null, null));
            }

            @Override
            public void error(String message, String type) {
                events.add(new Recorded(jobId, "error", null, type, message));
            }
        };
    }

    public List<Recorded> of(String jobId) {
        return events.stream().filter(e -> e.jobId().equals(jobId)).toList();
    }

    public List<String> typesOf(String jobId) {
        return of(jobId).stream().map(Recorded::type).toList();
    }
}
