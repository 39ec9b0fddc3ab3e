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
 *           agent → END   (the orchestrator answered without calling a tool)
 * </pre>
 * Which agent is at work is data, not topology: specialists are frames on a stack in the state.
 * After either node the same rule picks the next one: pending tool calls → tools; a finished
 * orchestrator → END; anything else → agent.
 */
public final class DeepAgentGraph {
    static final String AGENT = "agent";
    static final String TOOLS = "tools";

    private DeepAgentGraph() {
    }

    static StateGraph<DeepAgentState> build(AgentDefinition definition, Map<String, AgentToolbox> agents,
                                            StreamingModelCall modelCall, JobScope job) {
        Map<String, String> routes = Map.of(AGENT, AGENT, TOOLS, TOOLS, END, END);
        try {
            return new StateGraph<>(DeepAgentState.channels(definition.stateSchema()), DeepAgentState::new)
                    .addNode(AGENT, node_async(traced(AGENT, new AgentStep(agents, definition.orchestrator().id(), modelCall, job)::apply, job)))
                    .addNode(TOOLS, node_async(traced(TOOLS, new ToolStep(definition, agents, job)::apply, job)))
                    .addEdge(START, AGENT)
                    .addConditionalEdges(AGENT, edge_async(DeepAgentGraph::next), routes)
                    .addConditionalEdges(TOOLS, edge_async(DeepAgentGraph::next), routes);
        } catch (GraphStateException e) {
            throw new IllegalStateException("the deep-agent graph's fixed shape is invalid", e);
        }
    }

    /** Each step is a span of the job's trace. */
    private static NodeAction<DeepAgentState> traced(String node, Function<DeepAgentState, Map<String, Object>> step,
                                                     JobScope job) {
        return state -> job.telemetry().step(node, state.steps() + 1, () -> step.apply(state));
    }

    static String next(DeepAgentState state) {
        List<Map<String, Object>> conversation = state.activeConversation();
        if (state.frames().isEmpty() && Messages.isFinished(conversation)) {
            return END;
        }
        return Messages.pendingToolCalls(conversation).isEmpty() ? AGENT : TOOLS;
    }
}
