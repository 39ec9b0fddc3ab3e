package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.definition.InterruptPolicy;

import java.util.List;
import java.util.Map;

/**
 * Which of the active agent's pending tool calls may run and which wait for a person: a call of a
 * tool its node's {@code interrupt_on} names waits until a decision approved (or edited) it.
 */
final class Approvals {
    private final Map<String, AgentToolbox> agents;
    private final String orchestratorId;

    Approvals(Map<String, AgentToolbox> agents, String orchestratorId) {
        this.agents = agents;
        this.orchestratorId = orchestratorId;
    }

    /** Pending calls that may run now, in the model's order: those needing no approval come first. */
    List<Map<String, Object>> runnable(DeepAgentState state) {
        return Messages.pendingToolCalls(state.activeConversation()).stream()
                .filter(call -> !awaitsDecision(state, call)).toList();
    }

    /** Pending calls that wait for a person's decision. */
    List<Map<String, Object>> awaiting(DeepAgentState state) {
        return Messages.pendingToolCalls(state.activeConversation()).stream()
                .filter(call -> awaitsDecision(state, call)).toList();
    }

    /** The calls the job parks on, as the reviewer sees them. */
    List<Interrupt> interrupts(DeepAgentState state) {
        String agentId = state.activeAgentId(orchestratorId);
        Map<String, InterruptPolicy> policies = agents.get(agentId).spec().interruptOn();
        return awaiting(state).stream().map(call -> {
            InterruptPolicy policy = policies.get(String.valueOf(call.get("name")));
            return new Interrupt(String.valueOf(call.get("id")), agentId, String.valueOf(call.get("name")),
                    String.valueOf(call.get("arguments")), policy.allowedDecisions(), policy.description());
        }).toList();
    }

    private boolean awaitsDecision(DeepAgentState state, Map<String, Object> call) {
        AgentToolbox agent = agents.get(state.activeAgentId(orchestratorId));
        return agent.spec().interruptOn().containsKey(String.valueOf(call.get("name")))
                && !state.approved().containsKey(String.valueOf(call.get("id")));
    }
}
