package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncEdgeAction.edge_async;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * The deep-agent graph: two nodes, so that every model call and every tool execution is a
 * super-step of its own with its own checkpoint.
 * <pre>
 *   START → agent ⇄ tools
 *           agent → END        (the orchestrator answered without calling a tool)
 *   agent, tools → approval    (every pending call left waits for a person; the graph stops before it)
 *   approval → tools | agent   (after a resume applied the decisions)
 * </pre>
 * Which agent is at work is data, not topology: specialists are frames on a stack in the state.
 * After every node the same rule picks the next one: pending tool calls that may run → tools;
 * pending calls that all wait for approval → approval; a finished orchestrator → END; anything
 * else → agent.
 */
public final class DeepAgentGraph {
    static final String AGENT = "agent";
    static final String TOOLS = "tools";
    static final String APPROVAL = "approval";

    private DeepAgentGraph() {
    }

    static StateGraph<DeepAgentState> build(AgentDefinition definition, Map<String, AgentToolbox> agents,
                                            Approvals approvals, StreamingModelCall modelCall, JobScope job) {
        Map<String, String> routes = Map.of(AGENT, AGENT, TOOLS, TOOLS, APPROVAL, APPROVAL, END, END);
        String orchestratorId = definition.orchestrator().id();
        var next = edge_async((DeepAgentState state) -> next(state, approvals));
        try {
            return new StateGraph<>(DeepAgentState.channels(definition.stateSchema()), new JsonStateSerializer())
                    .addNode(AGENT, node_async(traced(AGENT, new AgentStep(agents, orchestratorId, modelCall, job)::apply, job)))
                    .addNode(TOOLS, node_async(traced(TOOLS, new ToolStep(definition, agents, approvals, job)::apply, job)))
                    .addNode(APPROVAL, node_async(traced(APPROVAL, new ApprovalStep(approvals, orchestratorId, job)::apply, job)))
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

    static String next(DeepAgentState state, Approvals approvals) {
        List<Map<String, Object>> conversation = state.activeConversation();
        if (state.frames().isEmpty() && Messages.isFinished(conversation)) {
            return END;
        }
        if (Messages.pendingToolCalls(conversation).isEmpty()) {
            return AGENT;
        }
        return approvals.runnable(state).isEmpty() ? APPROVAL : TOOLS;
    }
}
