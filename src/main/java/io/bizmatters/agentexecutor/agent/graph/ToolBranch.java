package io.bizmatters.agentexecutor.agent.graph;

import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

import java.util.Map;
import java.util.Optional;

import static org.bsc.langgraph4j.StateGraph.END;

/**
 * The one-row branch of a catalog tool run in a fan-out ({@code <turn>/tool/<call id>}): its result,
 * checkpointed as soon as the tool finished, before the caller's join. A kill after the tool
 * finished never runs it again; the join takes the result from here.
 */
final class ToolBranch {
    private static final String RESULT = "result";

    private final BaseCheckpointSaver saver;
    private final RunnableConfig row;

    ToolBranch(BaseCheckpointSaver saver, AgentThread caller, int turn, String callId) {
        this.saver = saver;
        this.row = RunnableConfig.builder().threadId(caller.branchOf(turn, "tool", callId)).build();
    }

    /** The result of an earlier run, when the tool finished then. */
    Optional<String> finished() {
        return saver.get(row).map(checkpoint -> String.valueOf(checkpoint.getState().get(RESULT)));
    }

    void finished(String result) {
        try {
            saver.put(row, Checkpoint.builder().nodeId(DeepAgentGraph.TOOLS).nextNodeId(END).state(Map.of(RESULT, result)).build());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the checkpoint saver failed writing the result of " + row.threadId(), e);
        }
    }
}
