package io.bizmatters.agentexecutor.jobs;

/** The states of a job row; completed and failed are terminal. */
public enum JobStatus {
    RUNNING, COMPLETED, FAILED;

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
