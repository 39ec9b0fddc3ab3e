package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.tools.BoundTool;
import io.bizmatters.agentexecutor.agent.tools.BuiltinTool;
import io.bizmatters.agentexecutor.agent.tools.TaskTool;
import io.bizmatters.agentexecutor.agent.tools.ToolArguments;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.ClassifiedFailure;
import io.bizmatters.agentexecutor.failure.JobFailure;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executes the first pending tool call of the agent whose turn it is that may run (calls waiting
 * for a person's approval come after all others): one tool per step, so a resume never runs a
 * finished tool again. {@code task} does not run the specialist here; it
 * pushes the specialist's frame and the next steps are the specialist's own.
 */
final class ToolStep implements NodeAction<DeepAgentState> {
    private final AgentDefinition definition;
    private final Map<String, AgentToolbox> agents;
    private final Approvals approvals;
    private final JobScope job;

    ToolStep(AgentDefinition definition, Map<String, AgentToolbox> agents, Approvals approvals, JobScope job) {
        this.definition = definition;
        this.agents = agents;
        this.approvals = approvals;
        this.job = job;
    }

    @Override
    public Map<String, Object> apply(DeepAgentState state) {
        String agentId = state.activeAgentId(definition.orchestrator().id());
        AgentToolbox agent = agents.get(agentId);
        Map<String, Object> call = approvals.runnable(state).getFirst();
        String callId = String.valueOf(call.get("id"));
        String name = String.valueOf(call.get("name"));
        String arguments = String.valueOf(call.get("arguments"));
        job.guard().beforeToolCall(state, agentId, TaskTool.NAME.equals(name) && agent.canDelegate());
        job.events().toolCall(agentId, callId, name, arguments);

        Map<String, Object> update = new HashMap<>();
        update.put(DeepAgentState.STEPS, state.steps() + 1);
        if (state.approved().containsKey(callId)) {
            // An approval is spent once its call runs: a later call reusing the id waits again.
            Map<String, Object> approved = new HashMap<>(state.approved());
            approved.remove(callId);
            update.put(DeepAgentState.APPROVED, approved);
        }
        update.put(DeepAgentState.AGENT_USAGE, AgentUsageBook.toolCall(state.agentUsage(), agentId));
        if (TaskTool.NAME.equals(name) && agent.canDelegate()) {
            Optional<Map<String, Object>> started = startSpecialist(state, callId, arguments);
            if (started.isPresent()) {
                update.putAll(started.get());
                return update;
            }
        }
        String result = job.telemetry().toolCall(agentId, name, callId, arguments,
                () -> execute(state, agent, callId, name, arguments, update));
        job.events().toolResult(agentId, callId, name, result);
        List<Map<String, Object>> conversation = new ArrayList<>(state.activeConversation());
        conversation.add(Messages.toolResult(callId, name, result));
        update.putAll(state.withActiveConversation(conversation));
        return update;
    }

    /** Empty when the model asked for a specialist that does not exist; it reads why and can try again. */
    private Optional<Map<String, Object>> startSpecialist(DeepAgentState state, String callId, String arguments) {
        try {
            ToolArguments parsed = ToolArguments.parse(arguments);
            Optional<AgentSpec> specialist = definition.specialistNamed(parsed.text("subagent_type"));
            return specialist.map(s -> state.withFramePushed(s.id(), callId, parsed.text("description")));
        } catch (ToolArguments.Invalid e) {
            return Optional.empty();
        }
    }

    private String execute(DeepAgentState state, AgentToolbox agent, String callId, String name, String arguments,
                           Map<String, Object> update) {
        if (TaskTool.NAME.equals(name) && agent.canDelegate()) {
            return "Error: task needs a string 'description' and a 'subagent_type', one of: "
                    + String.join(", ", definition.specialists().stream().map(AgentSpec::name).toList());
        }
        if (!ToolArguments.isObject(arguments)) {
            return "Error: the arguments of your call to '" + name + "' are not a JSON object; call it again with"
                    + " a JSON object of its parameters";
        }
        BuiltinTool builtin = agent.builtins().get(name);
        if (builtin != null) {
            try {
                BuiltinTool.Result result = builtin.action().apply(state.data(), ToolArguments.parse(arguments));
                update.putAll(result.stateUpdate());
                return result.text();
            } catch (ToolArguments.Invalid e) {
                return e.getMessage();
            }
        }
        BoundTool bound = agent.bound().get(name);
        if (bound == null) {
            return "Error: '" + name + "' is not one of your tools: " + agent.toolNames();
        }
        try {
            return bound.invocation().invoke(new BoundTool.CallContext(job.jobId(), job.traceId(), callId), arguments);
        } catch (ClassifiedFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobFailure("Tool " + BadInput.quote(name) + " failed: " + e.getMessage(), e);
        }
    }
}
