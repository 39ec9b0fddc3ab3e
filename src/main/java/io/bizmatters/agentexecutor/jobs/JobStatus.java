package io.bizmatters.agentexecutor.jobs;

/**
 * The states of a job row; completed, failed and cancelled are terminal. An interrupted job is
 * parked: it waits, on no pod, for decisions on tool calls (docs/approvals.md).
 */
public enum JobStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED, INTERRUPTED;

    public String column() {
        return name().toLowerCase();
    }

    static JobStatus fromColumn(String value) {
        return valueOf(value.toUpperCase());
    }

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
