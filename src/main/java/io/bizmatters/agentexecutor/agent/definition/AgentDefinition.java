package io.bizmatters.agentexecutor.agent.definition;


import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A validated agent_definition: the entry agent (the orchestrator), its specialists, the tools the
 * definition declares and the extra state channels its specialists ask for.
 */
public record AgentDefinition(AgentSpec orchestrator, List<AgentSpec> specialists,
                              Map<String, DeclaredTool> toolDefinitions, List<StateKey> stateSchema) {

    public Stream<AgentSpec> agents() {
        return Stream.concat(Stream.of(orchestrator), specialists.stream());
    }

    public Optional<AgentSpec> agentById(String id) {
        return agents().filter(a -> a.id().equals(id)).findFirst();
    }

    public Optional<AgentSpec> specialistNamed(String name) {
        return specialists.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * Every tool some agent names, with its Python script when tool_definitions has one, minus
     * the names {@code excluded} (the built-ins that live in the graph state).
     */
    public Collection<DeclaredTool> namedTools(Collection<String> excluded) {
        Map<String, DeclaredTool> named = new LinkedHashMap<>();
        agents().flatMap(a -> a.tools().stream())
                .filter(name -> !excluded.contains(name))
                .forEach(name -> named.putIfAbsent(name,
                        toolDefinitions.getOrDefault(name, new DeclaredTool(name, null))));
        return List.copyOf(named.values());
    }
}
