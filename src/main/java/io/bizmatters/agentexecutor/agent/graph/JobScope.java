package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.streaming.JobEvents;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;

import java.util.Map;

/**
 * The job a graph runs for: who to tell (events, spans), how to label tool calls, what each step
 * must ask first, and the decisions a resume brought for the calls it parked on, by tool call id.
 */
record JobScope(String jobId, String traceId, JobEvents events, StepGuard guard, Map<String, Decision> decisions,
                EngineTelemetry telemetry) {
}
