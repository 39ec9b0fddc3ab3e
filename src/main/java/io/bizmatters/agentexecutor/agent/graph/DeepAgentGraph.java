package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.Map;
import java.util.function.Function;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncEdgeAction.edge_async;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * The deep-agent graph of one agent thread: two nodes, so that every model call and every tool
 * step is a super-step of its own with its own checkpoint.
 * <pre>
 *   START → agent ⇄ tools
 *           agent → END        (the agent answered without calling a tool)
 *   agent, tools → approval    (every pending call left waits for a person; the graph stops before it)
 *   approval → tools | agent   (after a resume applied the decisions)
 * </pre>
 * The orchestrator runs it on the job's thread; each specialist a {@code task} call starts runs the
 * same graph on a branch thread of its own ({@link FanOut}). After every node the same rule picks
 * the next one: pending tool calls that may run → tools; pending calls that all wait for approval →
 * approval; a finished agent → END; anything else → agent.
 */
public final class DeepAgentGraph {
    static final String AGENT = "agent";
    static final String TOOLS = "tools";
    static final String APPROVAL = "approval";

    private DeepAgentGraph() {
    }

    static StateGraph<DeepAgentState> build(AgentDefinition definition, Map<String, AgentToolbox> agents,
                                            Approvals approvals, StreamingModelCall modelCall, JobScope job,
                                            AgentThread thread, FanOut fanOut) {
        Map<String, String> routes = Map.of(AGENT, AGENT, TOOLS, TOOLS, APPROVAL, APPROVAL, END, END);
        var next = edge_async((DeepAgentState state) -> next(state, approvals, thread.agentId()));
        ToolStep tools = new ToolStep(agents, approvals, fanOut.execution(), job, thread, fanOut);
        try {
            return new StateGraph<>(DeepAgentState.channels(definition.stateSchema()), new JsonStateSerializer())
                    .addNode(AGENT, node_async(traced(AGENT, new AgentStep(agents.get(thread.agentId()), modelCall, job, thread)::apply, job)))
                    .addNode(TOOLS, node_async(traced(TOOLS, tools::apply, job)))
                    .addNode(APPROVAL, node_async(traced(APPROVAL, new ApprovalStep(approvals, job, thread)::apply, job)))
                    .addEdge(START, AGENT)
                    .addConditionalEdges(AGENT, next, routes)
                    .addConditionalEdges(TOOLS, next, routes)
                    .addConditionalEdges(APPROVAL, next, routes);
        } catch (GraphStateException e) {
            throw new IllegalStateException("the deep-agent graph's fixed shape is invalid", e);
        }
    }

    /** Each step is a span of the job's trace. */
    private static NodeAction<DeepAgentState> traced(String node, Function<DeepAgentState, Map<String, Object>> step,
                                                     JobScope job) {
        return state -> job.telemetry().step(node, state.steps() + 1, () -> step.apply(state));
    }

    static String next(DeepAgentState state, Approvals approvals, String agentId) {
        if (Messages.isFinished(state.messages())) {
            return END;
        }
        if (Messages.pendingToolCalls(state.messages()).isEmpty()) {
            return AGENT;
        }
        return approvals.runnable(state, agentId).isEmpty() ? APPROVAL : TOOLS;
    }
}
