package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One validated JobExecutionEvent: what the engine needs to run a job. The job id is also the
 * LangGraph thread id, so a redelivered job finds its checkpoints.
 *
 * @param limits the event's {@code limits} over the service's defaults (docs/job-control.md)
 */
public record AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload,
                       JobLimits limits) {

    /** A job without limits, for code that builds jobs without an event. */
    public AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload) {
        this(jobId, traceId, agentDefinition, inputPayload, JobLimits.NONE);
    }
}
