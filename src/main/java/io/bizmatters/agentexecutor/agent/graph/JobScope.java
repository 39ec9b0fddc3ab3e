package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.streaming.JobEvents;

/** The job a graph runs for: who to tell (events), how to label tool calls, and what each step must ask first. */
record JobScope(String jobId, String traceId, JobEvents events, StepGuard guard) {
}
