package io.bizmatters.agentexecutor.testsupport;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.bizmatters.agentexecutor.agent.tools.BoundTool;
import io.bizmatters.agentexecutor.agent.definition.DeclaredTool;
import io.bizmatters.agentexecutor.agent.tools.ToolCatalog;
import io.bizmatters.agentexecutor.failure.JobFailure;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A catalog of in-memory tools for engine tests, failing like the real one on unknown names. */
public final class MapToolCatalog implements ToolCatalog {
    private final Map<String, BoundTool> tools = new LinkedHashMap<>();
    private final List<Collection<DeclaredTool>> requests = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a tool with one string parameter {@code input}. */
    public MapToolCatalog with(String name, BoundTool.Invocation invocation) {
        tools.put(name, new BoundTool(ToolSpecification.builder().name(name).description("test tool " + name)
                .parameters(JsonObjectSchema.builder().addStringProperty("input").required("input").build())
                .build(), invocation));
        return this;
    }

    @Override
    public Map<String, BoundTool> resolve(Collection<DeclaredTool> declared) {
        requests.add(List.copyOf(declared));
        List<String> unresolved = declared.stream().map(DeclaredTool::name).filter(n -> !tools.containsKey(n)).toList();
        if (!unresolved.isEmpty()) {
            throw new JobFailure("Unresolved tools: " + String.join(", ", unresolved));
        }
        Map<String, BoundTool> bound = new LinkedHashMap<>();
        declared.forEach(d -> bound.put(d.name(), tools.get(d.name())));
        return bound;
    }

    public List<Collection<DeclaredTool>> requests() {
        return List.copyOf(requests);
    }
}
