package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.tools.TaskTool;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the pending tool calls of the thread's agent that may run (calls waiting for a person's
 * approval come after all others). A lone call that is not a delegation runs right here, its
 * result part of this step's checkpoint. Several calls, or any {@code task} call, fan out
 * ({@link FanOut}): they run at once, each specialist on a branch thread of its own, and this
 * step joins their results in the order of the model's calls.
 */
final class ToolStep implements NodeAction<DeepAgentState> {
    private final Map<String, AgentToolbox> agents;
    private final Approvals approvals;
    private final ToolExecution execution;
    private final JobScope job;
    private final AgentThread thread;
    private final FanOut fanOut;

    ToolStep(Map<String, AgentToolbox> agents, Approvals approvals, ToolExecution execution, JobScope job,
             AgentThread thread, FanOut fanOut) {
        this.agents = agents;
        this.approvals = approvals;
        this.execution = execution;
        this.job = job;
        this.thread = thread;
        this.fanOut = fanOut;
    }

    @Override
    public Map<String, Object> apply(DeepAgentState state) {
        AgentToolbox agent = agents.get(thread.agentId());
        List<Map<String, Object>> calls = approvals.runnable(state, thread.agentId());
        boolean lone = calls.size() == 1 && !(TaskTool.NAME.equals(String.valueOf(calls.getFirst().get("name"))) && agent.canDelegate());
        return lone ? runHere(state, agent, calls.getFirst()) : fanOut.run(thread, state, agent, calls);
    }

    private Map<String, Object> runHere(DeepAgentState state, AgentToolbox agent, Map<String, Object> call) {
        String callId = String.valueOf(call.get("id"));
        String name = String.valueOf(call.get("name"));
        String arguments = String.valueOf(call.get("arguments"));
        try (StepGuard.Step step = job.guard().beforeToolCall(thread, false)) {
            thread.events().toolCall(thread.agentId(), callId, name, arguments);
            Map<String, Object> update = new HashMap<>();
            String result = job.telemetry().toolCall(thread.agentId(), name, callId, arguments,
                    () -> execution.execute(state, agent, callId, name, arguments, update));
            thread.events().toolResult(thread.agentId(), callId, name, result);
            List<Map<String, Object>> conversation = new ArrayList<>(state.messages());
            conversation.add(Messages.toolResult(callId, name, result));
            update.put(DeepAgentState.MESSAGES, conversation);
            update.put(DeepAgentState.STEPS, state.steps() + 1);
            update.put(DeepAgentState.APPROVED, Approvals.spent(state.approved(), List.of(callId)));
            Map<String, Object> agentUsage = AgentUsageBook.toolCall(state.agentUsage(), thread.agentId());
            update.put(DeepAgentState.AGENT_USAGE, agentUsage);
            step.done(agentUsage, state.steps() + 1);
            return update;
        }
    }
}
