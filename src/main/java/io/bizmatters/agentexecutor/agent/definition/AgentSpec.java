package io.bizmatters.agentexecutor.agent.definition;

import java.util.List;

/**
 * One agent of a definition: the orchestrator or a specialist. {@code id} is the definition's node
 * id and names the agent in stream events; {@code name} is what {@code task(subagent_type)} uses.
 */
public record AgentSpec(String id, String name, String description, String systemPrompt,
                        ModelSpec model, List<String> tools) {
}
