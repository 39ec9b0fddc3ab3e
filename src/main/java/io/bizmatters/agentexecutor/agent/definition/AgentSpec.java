package io.bizmatters.agentexecutor.agent.definition;

import java.util.List;
import java.util.Map;

/**
 * One agent of a definition: the orchestrator or a specialist. {@code id} is the definition's node
 * id and names the agent in stream events; {@code name} is what {@code task(subagent_type)} uses.
 * {@code interruptOn} holds, by tool name, the tools whose calls wait for a person's approval.
 */
public record AgentSpec(String id, String name, String description, String systemPrompt,
                        ModelSpec model, List<String> tools, Map<String, InterruptPolicy> interruptOn) {

    public AgentSpec(String id, String name, String description, String systemPrompt, ModelSpec model, List<String> tools) {
        this(id, name, description, systemPrompt, model, tools, Map.of());
    }
}
