package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.execution.PlaceholderAgentRunner;

/** The one place the service chooses its agent engine. */
public final class AgentEngine {
    private AgentEngine() {
    }

    public static AgentRunner create(SharedInfrastructure infrastructure) {
        return new PlaceholderAgentRunner();
    }
}
