package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.streaming.JobEvents;

/** The job a graph runs for: who to tell (events) and how to label tool calls. */
record JobScope(String jobId, String traceId, JobEvents events, int stepLimit) {
}
