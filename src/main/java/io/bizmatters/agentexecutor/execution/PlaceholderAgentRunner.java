package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;

import java.util.List;

/**
 * A PLACEHOLDER until the agent engine lands (its own issue): answers every job with a fixed
 * output and runs no model, so the wiring around the engine (events, acks, tables, probes) can
 * be real and tested now. Replace it in {@link io.bizmatters.agentexecutor.AgentEngine}.
 */
public class PlaceholderAgentRunner implements AgentRunner {
    public static final String OUTPUT = "placeholder output: the agent engine is not wired in yet";

    @Override
    public AgentOutcome run(AgentJob job) {
        return new AgentOutcome(OUTPUT, List.of());
    }
}
