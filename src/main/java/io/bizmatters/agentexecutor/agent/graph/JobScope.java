package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.streaming.JobEvents;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;

/** The job a graph runs for: who to tell (events, spans) and how to label tool calls. */
record JobScope(String jobId, String traceId, JobEvents events, int stepLimit, EngineTelemetry telemetry) {
}
