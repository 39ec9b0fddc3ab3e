package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.tools.BoundTool;
import io.bizmatters.agentexecutor.agent.tools.BuiltinTool;
import io.bizmatters.agentexecutor.agent.tools.TaskTool;
import io.bizmatters.agentexecutor.agent.tools.ToolArguments;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.ClassifiedFailure;
import io.bizmatters.agentexecutor.failure.JobFailure;

import java.util.Map;
import java.util.Optional;

/**
 * Runs one tool call that is not a delegation: a built-in on the state the model's turn saw, a
 * catalog tool through its route, or, when the model called wrongly (arguments that are not an
 * object, an unknown tool, a task call it cannot make), the {@code Error: ...} text it reads instead.
 */
final class ToolExecution {
    private final JobScope job;

    ToolExecution(JobScope job) {
        this.job = job;
    }

    /** The specialist a {@code task} call starts, with its description; empty when the call is not a valid one. */
    Optional<Map.Entry<AgentSpec, String>> delegation(AgentToolbox agent, String name, String arguments) {
        if (!TaskTool.NAME.equals(name) || !agent.canDelegate()) {
            return Optional.empty();
        }
        try {
            ToolArguments parsed = ToolArguments.parse(arguments);
            String description = parsed.text("description");
            return agent.delegateNamed(parsed.text("subagent_type")).map(s -> Map.entry(s, description));
        } catch (ToolArguments.Invalid e) {
            return Optional.empty();
        }
    }

    /** True when the call runs a catalog tool: an execution whose result is worth a checkpoint of its own. */
    static boolean reachesRoute(AgentToolbox agent, String name, String arguments) {
        return agent.bound().containsKey(name) && !agent.builtins().containsKey(name) && ToolArguments.isObject(arguments)
                && !(TaskTool.NAME.equals(name) && agent.canDelegate());
    }

    /** @param update receives the state keys a built-in changes */
    String execute(DeepAgentState state, AgentToolbox agent, String callId, String name, String arguments,
                   Map<String, Object> update) {
        if (TaskTool.NAME.equals(name) && agent.canDelegate()) {
            return "Error: task needs a string 'description' and a 'subagent_type', one of: " + agent.delegateNames();
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
