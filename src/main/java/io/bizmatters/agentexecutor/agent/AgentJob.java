package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One validated JobExecutionEvent: what the engine needs to run a job. The job id is also the
 * LangGraph thread id, so a redelivered job finds its checkpoints.
 */
public record AgentJob(String jobId, String traceId, ObjectNode agentDefinition, ObjectNode inputPayload) {
}
