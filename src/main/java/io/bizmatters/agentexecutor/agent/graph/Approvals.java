package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.definition.InterruptPolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a thread's agent's pending tool calls may run and which wait for a person: a call of a
 * tool its node's {@code interrupt_on} names waits until a decision approved (or edited) it.
 */
final class Approvals {
    private final Map<String, AgentToolbox> agents;

    Approvals(Map<String, AgentToolbox> agents) {
        this.agents = agents;
    }

    /** Pending calls of the thread's agent that may run now, in the model's order: those needing no approval come first. */
    List<Map<String, Object>> runnable(DeepAgentState state, String agentId) {
        return Messages.pendingToolCalls(state.messages()).stream()
                .filter(call -> !awaitsDecision(state, agentId, call)).toList();
    }

    /** Pending calls that wait for a person's decision. */
    List<Map<String, Object>> awaiting(DeepAgentState state, String agentId) {
        return Messages.pendingToolCalls(state.messages()).stream()
                .filter(call -> awaitsDecision(state, agentId, call)).toList();
    }

    /** The calls the thread parks on, as the reviewer sees them. */
    List<Interrupt> interrupts(DeepAgentState state, String agentId) {
        Map<String, InterruptPolicy> policies = agents.get(agentId).spec().interruptOn();
        return awaiting(state, agentId).stream().map(call -> {
            InterruptPolicy policy = policies.get(String.valueOf(call.get("name")));
            return new Interrupt(String.valueOf(call.get("id")), agentId, String.valueOf(call.get("name")),
                    String.valueOf(call.get("arguments")), policy.allowedDecisions(), policy.description());
        }).toList();
    }

    /** The approvals left once these calls ran: an approval is spent once, so a later call reusing the id waits again. */
    static Map<String, Object> spent(Map<String, Object> approved, List<String> ran) {
        Map<String, Object> left = new LinkedHashMap<>(approved);
        ran.forEach(left::remove);
        return left;
    }

    private boolean awaitsDecision(DeepAgentState state, String agentId, Map<String, Object> call) {
        AgentToolbox agent = agents.get(agentId);
        return agent.spec().interruptOn().containsKey(String.valueOf(call.get("name")))
                && !state.approved().containsKey(String.valueOf(call.get("id")));
    }
}
