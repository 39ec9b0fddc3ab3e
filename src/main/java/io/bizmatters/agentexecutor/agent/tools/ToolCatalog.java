package io.bizmatters.agentexecutor.agent.tools;

import io.bizmatters.agentexecutor.agent.definition.DeclaredTool;
import java.util.Collection;
import java.util.Map;

/** Resolves the tools a definition names to operator-deployed bindings (Camel routes or built-ins). */
public interface ToolCatalog {
    /**
     * @return one binding per declared name, keyed by name
     * @throws io.bizmatters.agentexecutor.failure.JobFailure naming every tool that resolves to nothing
     */
    Map<String, BoundTool> resolve(Collection<DeclaredTool> tools);
}
