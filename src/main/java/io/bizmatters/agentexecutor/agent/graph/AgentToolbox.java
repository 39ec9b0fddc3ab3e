package io.bizmatters.agentexecutor.agent.graph;

import dev.langchain4j.agent.tool.ToolSpecification;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.models.AgentModel;
import io.bizmatters.agentexecutor.agent.tools.BoundTool;
import io.bizmatters.agentexecutor.agent.tools.BuiltinTool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One agent ready to run: its model, the tool specifications it is offered, and what each of its
 * tool names executes. {@code delegation} is the task tool's specification for the orchestrator
 * (null for specialists, which cannot delegate).
 */
record AgentToolbox(AgentSpec spec, AgentModel model, ToolSpecification delegation,
                    Map<String, BuiltinTool> builtins, Map<String, BoundTool> bound) {

    List<ToolSpecification> specifications() {
        List<ToolSpecification> specifications = new ArrayList<>();
        bound.values().forEach(tool -> specifications.add(tool.specification()));
        builtins.values().forEach(tool -> specifications.add(tool.specification()));
        if (delegation != null) {
            specifications.add(delegation);
        }
        return specifications;
    }

    boolean canDelegate() {
        return delegation != null;
    }

    boolean hasTool(String name) {
        return specifications().stream().anyMatch(spec -> spec.name().equals(name));
    }

    String toolNames() {
        return specifications().stream().map(ToolSpecification::name).collect(Collectors.joining(", "));
    }
}
