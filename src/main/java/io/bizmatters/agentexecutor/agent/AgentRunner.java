package io.bizmatters.agentexecutor.agent;

/**
 * Runs one job to a terminal state. The seam between the execution route and the engine.
 *
 * <p>Throws {@link io.bizmatters.agentexecutor.failure.JobFailure} when the job itself fails,
 * {@link io.bizmatters.agentexecutor.failure.BadInput} when the definition is invalid, and
 * {@link io.bizmatters.agentexecutor.failure.InfrastructureFault} when a dependency is down.
 * Blocks the calling (virtual) thread until the job is done.
 */
public interface AgentRunner {
    AgentOutcome run(AgentJob job);
}
