package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.control.RunningJobs;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.jobs.JobRecord;

/**
 * Wraps the engine so any other exception it throws counts as the job's own failure: reported on
 * agent.status.failed and acked, never redelivered in a loop. Only the engine's explicit
 * {@link InfrastructureFault} is retried.
 */
public class EngineFailures implements AgentRunner {
    private final AgentRunner engine;
    private final RunningJobs runningJobs;

    public EngineFailures(AgentRunner engine, RunningJobs runningJobs) {
        this.engine = engine;
        this.runningJobs = runningJobs;
    }

    /** Runs a job this delivery claimed, under job control: its cancels and its deadline. */
    public AgentOutcome run(AgentJob job, JobRecord claimed) {
        return runningJobs.run(job, claimed, this);
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
