package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;

import java.util.Map;

/**
 * The job a graph runs for, whichever of its threads: how to label tool calls, what each step must
 * ask first, the decisions a resume brought for the calls it parked on (by tool call id), and its
 * spans. What a thread tells the stream goes through its {@link AgentThread#events()}.
 */
record JobScope(String jobId, String traceId, StepGuard guard, Map<String, Decision> decisions,
                EngineTelemetry telemetry) {
}
