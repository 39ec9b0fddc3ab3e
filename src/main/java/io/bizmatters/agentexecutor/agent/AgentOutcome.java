package io.bizmatters.agentexecutor.agent;

import java.util.List;

/**
 * Where a run of a job stopped: finished, with the orchestrator's final assistant text, or parked
 * on tool calls that wait for a person's decision ({@code interrupts} not empty). {@code usage} is
 * what each model charged over the whole job so far, {@code agents} what each agent of the tree
 * spent (docs/job-control.md, "Usage"); both survive parking, since they live in the checkpoints.
 */
public record AgentOutcome(String output, List<ModelUsage> usage, List<AgentUsage> agents, List<Interrupt> interrupts) {

    /** An outcome that does not account per agent (engines other than the deep-agent graph). */
    public AgentOutcome(String output, List<ModelUsage> usage) {
        this(output, usage, List.of());
    }

    public AgentOutcome(String output, List<ModelUsage> usage, List<AgentUsage> agents) {
        this(output, usage, agents, List.of());
    }

    /** A job that stopped to wait for decisions on these calls. */
    public static AgentOutcome waitingFor(List<Interrupt> interrupts, List<ModelUsage> usage, List<AgentUsage> agents) {
        return new AgentOutcome(null, usage, agents, List.copyOf(interrupts));
    }

    /** True when the job stopped to wait for decisions rather than finishing. */
    public boolean isParked() {
        return !interrupts.isEmpty();
    }

    /** Tokens one model consumed over the whole job. */
    public record ModelUsage(String provider, String model, long inputTokens, long outputTokens) {
    }

    /** What one agent (by definition node id and name) spent over the whole job. */
    public record AgentUsage(String agent, String name, long modelCalls, long toolCalls, long inputTokens, long outputTokens) {
    }
}
