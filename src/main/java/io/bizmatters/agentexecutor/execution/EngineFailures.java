package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;

/**
 * Wraps the engine so any other exception it throws counts as the job's own failure: reported on
 * agent.status.failed and acked, never redelivered in a loop. Only the engine's explicit
 * {@link InfrastructureFault} is retried.
 */
public class EngineFailures implements AgentRunner {
    private final AgentRunner engine;

    public EngineFailures(AgentRunner engine) {
        this.engine = engine;
    }

    @Override
    public AgentOutcome run(AgentJob job) {
        try {
            return engine.run(job);
        } catch (BadInput | JobFailure | InfrastructureFault e) {
            throw e;
        } catch (RuntimeException e) {
            throw JobFailure.unforeseen(e.getMessage(), e);
        }
    }
}
