package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * One validated JobExecutionEvent: what the engine needs to run a job. The job id is also the
 * LangGraph thread id, so a redelivered job finds its checkpoints.
 *
 * @param decisions the decisions a resume brought for the tool calls the job parked on, by tool
 *                  call id; empty for a job that was never parked
 */
public record AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload,
                       Map<String, Decision> decisions) {

    public AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload) {
        this(jobId, traceId, agentDefinition, inputPayload, Map.of());
    }

    /** True when this run continues a parked job: its state must come from its checkpoint. */
    public boolean isResume() {
        return !decisions.isEmpty();
    }
}
