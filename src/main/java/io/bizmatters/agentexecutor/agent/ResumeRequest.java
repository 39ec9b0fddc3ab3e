package io.bizmatters.agentexecutor.agent;

import java.util.List;

/** The decisions for a parked job's tool calls, as a resume event or {@code POST /jobs/{id}/resume} brings them. */
public record ResumeRequest(String jobId, List<Decision> decisions) {
}
