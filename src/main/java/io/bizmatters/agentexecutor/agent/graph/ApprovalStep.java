package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Decision;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the decisions a resume brought to the calls the job parked on. The graph is compiled to
 * stop before this node, so a job reaches it only when resumed: approve marks a call to run as
 * proposed, edit marks it and replaces its arguments, reject answers it with a tool result that
 * says so. Its own checkpoint makes the decisions part of the state before any approved tool runs.
 */
final class ApprovalStep implements NodeAction<DeepAgentState> {
    private final Approvals approvals;
    private final JobScope job;
    private final AgentThread thread;

    ApprovalStep(Approvals approvals, JobScope job, AgentThread thread) {
        this.approvals = approvals;
        this.job = job;
        this.thread = thread;
    }

    @Override
    public Map<String, Object> apply(DeepAgentState state) {
        job.guard().beforeApproval(thread);
        String agentId = thread.agentId();
        List<Map<String, Object>> conversation = new ArrayList<>(state.messages());
        Map<String, Object> approved = new LinkedHashMap<>(state.approved());
        for (Map<String, Object> call : approvals.awaiting(state, agentId)) {
            String callId = String.valueOf(call.get("id"));
            String name = String.valueOf(call.get("name"));
            Decision decision = job.decisions().get(callId);
            if (decision == null) {
                // The engine parks instead of resuming without every decision; reaching this is a bug.
                throw new IllegalStateException("no decision for tool call " + callId + " of job " + job.jobId());
            }
            switch (decision.type()) {
                case APPROVE -> approved.put(callId, decision.type().wireName());
                case EDIT -> {
                    approved.put(callId, decision.type().wireName());
                    conversation = Messages.withArguments(conversation, callId, decision.editedArguments());
                }
                case REJECT -> conversation.add(Messages.toolResult(callId, name, Messages.rejection(name, decision.message())));
            }
            thread.events().decision(agentId, name, decision);
        }
        Map<String, Object> update = new HashMap<>();
        update.put(DeepAgentState.MESSAGES, conversation);
        update.put(DeepAgentState.APPROVED, approved);
        return update;
    }
}
