package io.bizmatters.agentexecutor.agent;

import java.util.List;

/**
 * Where a run of a job stopped: finished, with the orchestrator's final assistant text, or parked
 * on tool calls that wait for a person's decision ({@code interrupts} not empty). {@code usage} is
 * what each model charged over the whole job so far.
 */
public record AgentOutcome(String output, List<ModelUsage> usage, List<Interrupt> interrupts) {

    public AgentOutcome(String output, List<ModelUsage> usage) {
        this(output, usage, List.of());
    }

    /** Not named parked: Simple would call it for ${body.parked}. */
    public static AgentOutcome waitingFor(List<Interrupt> interrupts, List<ModelUsage> usage) {
        return new AgentOutcome(null, usage, List.copyOf(interrupts));
    }

    /** True when the job stopped to wait for decisions rather than finishing. */
    public boolean isParked() {
        return !interrupts.isEmpty();
    }

    /** Tokens one model consumed over the whole job. */
    public record ModelUsage(String provider, String model, long inputTokens, long outputTokens) {
    }
}
