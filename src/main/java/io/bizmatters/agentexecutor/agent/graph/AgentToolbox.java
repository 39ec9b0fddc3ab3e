package io.bizmatters.agentexecutor.agent.graph;

import dev.langchain4j.agent.tool.ToolSpecification;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.models.AgentModel;
import io.bizmatters.agentexecutor.agent.tools.BoundTool;
import io.bizmatters.agentexecutor.agent.tools.BuiltinTool;
import io.bizmatters.agentexecutor.agent.tools.TaskTool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One agent ready to run: its model, the tool specifications it is offered, and what each of its
 * tool names executes. {@code delegates} are the specialists its {@code task} tool offers: every
 * specialist for the orchestrator, the job's other specialists for a specialist that names
 * {@code task} among its tools, none otherwise (then it has no {@code task} tool).
 */
record AgentToolbox(AgentSpec spec, AgentModel model, List<AgentSpec> delegates,
                    Map<String, BuiltinTool> builtins, Map<String, BoundTool> bound) {

    List<ToolSpecification> specifications() {
        List<ToolSpecification> specifications = new ArrayList<>();
        bound.values().forEach(tool -> specifications.add(tool.specification()));
        builtins.values().forEach(tool -> specifications.add(tool.specification()));
        if (canDelegate()) {
            specifications.add(TaskTool.specification(delegates));
        }
        return specifications;
    }

    boolean canDelegate() {
        return !delegates.isEmpty();
    }

    Optional<AgentSpec> delegateNamed(String name) {
        return delegates.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    String delegateNames() {
        return delegates.stream().map(AgentSpec::name).collect(Collectors.joining(", "));
    }

    boolean hasTool(String name) {
        return specifications().stream().anyMatch(spec -> spec.name().equals(name));
    }

    String toolNames() {
        return specifications().stream().map(ToolSpecification::name).collect(Collectors.joining(", "));
    }
}
