package io.bizmatters.agentexecutor.jobs;

import io.bizmatters.agentexecutor.agent.AgentJob;

/**
 * What a resume led to: the job to run now (this delivery holds its lease) with its row as the
 * resume left it ({@code claimed}: a recorded cancel, what is left of its deadline), or, for a
 * duplicate of a resume already taken, nothing ({@code job} null) and the job's current status.
 */
public record Resumption(AgentJob job, String jobId, String status, JobRecord claimed) {

    public Resumption(AgentJob job, String jobId, String status) {
        this(job, jobId, status, null);
    }

    public boolean isDuplicate() {
        return job == null;
    }
}
