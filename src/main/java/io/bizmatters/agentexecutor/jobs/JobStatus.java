package io.bizmatters.agentexecutor.jobs;

/** The states of a job row; completed, failed and cancelled are terminal. */
public enum JobStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public String column() {
        return name().toLowerCase();
    }

    static JobStatus fromColumn(String value) {
        return valueOf(value.toUpperCase());
    }

    public boolean terminal() {
        return this != RUNNING;
    }
}
