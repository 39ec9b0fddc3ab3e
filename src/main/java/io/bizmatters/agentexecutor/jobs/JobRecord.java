package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A job's row as a delivery sees it after claiming it. A finished record carries what its result
 * event needs, so a duplicate delivery republishes it instead of running the job again; a parked
 * one carries the calls it waits on, so a duplicate republishes its interrupted event.
 *
 * @param result the completed event's {@code result} object, or null
 * @param error  the failed event's {@code error} object, or null
 * @param interrupts the calls an interrupted job waits on, or null
 * @param resultPublished true once JetStream confirmed the job's result event (or, parked, its interrupted event)
 * @param finishedAt when the job reached its terminal state (the database's clock), or null
 * @param interruptedAt when the job last parked (the database's clock), or null
 */
public record JobRecord(String jobId, String traceId, JobStatus status, int attempts, JsonNode result, JsonNode error,
                        JsonNode interrupts, boolean resultPublished, Instant finishedAt, Instant interruptedAt) {

    /** True when an earlier delivery already brought the job to a terminal state. */
    public boolean isFinished() {
        return status.terminal();
    }

    /** True when a delivery of the job itself has nothing to run: it finished, or it waits for decisions. */
    public boolean isSettled() {
        return isFinished() || isParked();
    }

    /** When the job settled: finished, or (parked) last parked; null while it has not. */
    public Instant settledAt() {
        return isParked() ? interruptedAt : isFinished() ? finishedAt : null;
    }

    /** True when the job waits for decisions: a delivery of the job itself has nothing to run. */
    public boolean isParked() {
        return status == JobStatus.INTERRUPTED;
    }
}
