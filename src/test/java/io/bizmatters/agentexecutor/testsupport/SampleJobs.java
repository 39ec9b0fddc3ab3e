package io.bizmatters.agentexecutor.testsupport;

import java.util.UUID;

/** JobExecutionEvents and CloudEvents wrapping them, as callers send them. */
public final class SampleJobs {
    private SampleJobs() {
    }

    public static String newJobId() {
        return "job-" + UUID.randomUUID();
    }

    /** The data of a CloudEvent: a JobExecutionEvent with a one-agent definition. */
    public static String jobExecutionEvent(String jobId, String traceId) {
        return """
                {"trace_id": "%s", "job_id": "%s",
                 "agent_definition": {"nodes": [{"id": "orchestrator", "type": "Orchestrator",
                     "config": {"name": "Test Orchestrator", "system_prompt": "Answer briefly.",
                                "model": {"provider": "openai", "model": "gpt-4.1-mini"}, "tools": []}}]},
                 "input_payload": {"messages": [{"role": "user", "content": "Say hello"}]}}
                """.formatted(traceId, jobId);
    }

    public static String structuredCloudEvent(String jobId, String traceId) {
        return """
                {"specversion": "1.0", "type": "dev.my-platform.agent.execute", "source": "nats://agent.execute.test",
                 "id": "%s", "datacontenttype": "application/json", "data": %s}
                """.formatted(UUID.randomUUID(), jobExecutionEvent(jobId, traceId));
    }
}
