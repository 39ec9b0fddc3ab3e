package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.control.RunningJobs;
import io.bizmatters.agentexecutor.failure.ClassifiedFailure;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.jobs.JobRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wrapper around the agent engine (bean {@code agentRunner}, run-agent in
 * execute-agent.camel.yaml): it runs a claimed job under job control (its cancels and its
 * deadline) and leaves every failure classified. An exception nothing classified counts as the
 * job's own failure, reported on agent.status.failed with its stack trace and acked, never
 * redelivered in a loop; only an explicit {@code InfrastructureFault} is retried. A job that
 * ended in failure has no final checkpoint to prune its checkpoints (retention {@code last}), so
 * they are pruned here, off the job's thread; the periodic sweep
 * (routes/checkpoint-retention.camel.yaml) catches whatever that misses. A parked job keeps its
 * checkpoints, as it resumes from them.
 */
public class EngineRuns implements AgentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRuns.class);

    private final AgentRunner engine;
    private final RunningJobs runningJobs;
    private final CheckpointRetention retention;

    public EngineRuns(AgentRunner engine, RunningJobs runningJobs, CheckpointRetention retention) {
        this.engine = engine;
        this.runningJobs = runningJobs;
        this.retention = retention;
    }

    /** Runs a job this delivery claimed, under job control: its cancels and its deadline. */
    public AgentOutcome run(AgentJob job, JobRecord claimed) {
        return runningJobs.run(job, claimed, this);
    }

    @Override
    public AgentOutcome run(AgentJob job) {
        ClassifiedFailure failure;
        try {
            return engine.run(job);
        } catch (ClassifiedFailure e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = JobFailure.unforeseen(e.getMessage(), e);
        }
        if (failure.kind().endsTheJob()) {
            pruneCheckpoints(job.jobId());
        }
        throw failure;
    }

    private void pruneCheckpoints(String jobId) {
        Thread.ofVirtual().name("checkpoint-retention-" + jobId).start(() -> {
            try {
                retention.jobFinished(jobId);
            } catch (RuntimeException e) {
                LOG.warn("Could not prune the checkpoints of finished job {} (the periodic sweep will): {}",
                        jobId, e.getMessage());
            }
        });
    }
}
