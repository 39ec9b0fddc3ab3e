package io.bizmatters.agentexecutor.streaming;

import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.Interrupt;
import java.util.List;
import java.util.Map;

/**
 * What one job tells its watchers on {@code langgraph:stream:{job_id}} and in its replayable stream
 * {@code langgraph:events:{job_id}} (docs/events.md). Calls never block on Dragonfly and never
 * throw: a streaming outage must not fail the job. Events of one job reach both in the order they
 * were emitted. Values passed as {@code Object} are JSON-compatible (Map, List, String, Number,
 * Boolean, null). An {@code agentId} is a node id of the job's agent definition.
 */
public interface JobEvents {
    /**
     * Names the job's agents, so every later event says who produced it as {@code {"id", "name"}};
     * job-level events ({@code end}, {@code error}, {@code on_retry}) are the orchestrator's.
     */
    void introduceAgents(Map<String, String> namesById, String orchestratorId);

    /** A chunk of assistant text streamed by the model of {@code agentId}. */
    void llmToken(String agentId, String text);

    /** A chunk of a tool call the model is streaming (arguments arrive piecewise). */
    void llmToolCallChunk(String agentId, int index, String toolCallId, String toolName, String argumentsChunk);

    /** A complete tool call about to be executed. */
    void toolCall(String agentId, String toolCallId, String toolName, String argumentsJson);

    /** The result of a tool call. */
    void toolResult(String agentId, String toolCallId, String toolName, String result);

    /**
     * The graph state after a step of {@code agentId}: messages, the virtual files and the todos.
     * {@code graphNode} is the step's graph node ({@code agent} or {@code tools}), the {@code node}
     * old readers of this event know.
     */
    void stateUpdate(String graphNode, String agentId, Object messages, Object files, Object todos);

    /**
     * This delivery gives the job up for an outage and it will run again: {@code nextAttemptSeconds}
     * is null when the caller (HTTP) decides when.
     */
    void retrying(String reason, long deliveryCount, Long nextAttemptSeconds);

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

    /**
     * The events of one delegation: every event emitted through the view also names
     * {@code taskCallId}, the {@code task} call that started the specialist, and the delegation
     * this view's was made in ({@code parent_task_call_id}, null at the first level), so a watcher
     * can tell specialists that work at the same time apart and place them in the tree. A view of a
     * view is a nested delegation. Job-level events ({@link #end}, {@link #error}, {@link #retrying},
     * {@link #interrupted}, {@link #resumeRejected}) name no delegation, through whichever view. Views
     * may be used from several threads at once; each keeps its own events in order.
     */
    JobEvents withinTask(String taskCallId);
}
