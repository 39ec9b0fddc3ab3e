package io.bizmatters.agentexecutor.streaming;

import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.Interrupt;

import java.util.List;

/**
 * What one job tells its watchers on {@code langgraph:stream:{job_id}} (docs/events.md).
 * Calls never block on Dragonfly and never throw: a streaming outage must not fail the job.
 * Events of one job reach the channel in the order they were emitted.
 * Values passed as {@code Object} are JSON-compatible (Map, List, String, Number, Boolean, null).
 */
public interface JobEvents {
    /** A chunk of assistant text streamed by the model in {@code node}. */
    void llmToken(String node, String text);

    /** A chunk of a tool call the model is streaming (arguments arrive piecewise). */
    void llmToolCallChunk(String node, int index, String toolCallId, String toolName, String argumentsChunk);

    /** A complete tool call about to be executed. */
    void toolCall(String node, String toolCallId, String toolName, String argumentsJson);

    /** The result of a tool call. */
    void toolResult(String node, String toolCallId, String toolName, String result);

    /** The graph state after a step: messages, the virtual files and the todos. */
    void stateUpdate(String node, Object messages, Object files, Object todos);

    /**
     * The job stopped to wait for decisions on these tool calls. Not terminal: a resume continues
     * the same stream, which still ends in {@link #end()} or {@link #error}.
     */
    void interrupted(List<Interrupt> interrupts);

    /** A person's decision on a tool call the job waited on, as the resumed job applies it. */
    void decision(String node, String toolName, Decision decision);

    /** A resume of this job was refused and changed nothing; the job still waits. */
    void resumeRejected(String detail, String field);

    /** Terminal event of a successful run; old readers treat it as "completed". */
    void end();

    /** Terminal event of a failed run; never followed by {@link #end()}. */
    void error(String message, String type);
}
