package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * One validated JobExecutionEvent: what the engine needs to run a job. The job id is also the
 * LangGraph thread id, so a redelivered job finds its checkpoints.
 *
 * @param limits    the event's {@code limits} over the service's defaults (docs/job-control.md); a
 *                  resumed job keeps those of its first delivery
 * @param decisions the decisions a resume brought for the tool calls the job parked on, by tool
 *                  call id; empty for a job that was never parked
 */
public record AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload,
                       JobLimits limits, Map<String, Decision> decisions) {

    /** A job without limits, for code that builds jobs without an event. */
    public AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload) {
        this(jobId, traceId, agentDefinition, inputPayload, JobLimits.NONE);
    }

    /** A job as its event brings it: never parked yet. */
    public AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload, JobLimits limits) {
        this(jobId, traceId, agentDefinition, inputPayload, limits, Map.of());
    }

    /** True when this run continues a parked job: its state must come from its checkpoint. */
    public boolean isResume() {
        return !decisions.isEmpty();
    }
}
