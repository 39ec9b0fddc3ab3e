package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

/**
 * A job's row as a delivery sees it after claiming it. A finished record carries what its result
 * event needs, so a duplicate delivery republishes it instead of running the job again; a parked
 * one carries the calls it waits on, so a duplicate republishes its interrupted event.
 *
 * @param result the completed event's {@code result} object, or null
 * @param error  the failed event's {@code error} object, or null
 * @param usage  what a completed job spent, or null
 * @param interrupts the calls an interrupted job waits on, or null
 * @param resultPublished true once JetStream confirmed the job's result event (or, parked, its interrupted event)
 * @param finishedAt when the job reached its terminal state (the database's clock), or null
 * @param interruptedAt when the job last parked (the database's clock), or null
 * @param cancelReason    the reason of the job's first cancel, or null when nobody cancelled it
 * @param untilDeadline   what is left of the job's time from its first start, not counting time parked (zero when
 *                        past), or null without a deadline
 */
public record JobRecord(String jobId, String traceId, JobStatus status, int attempts, JsonNode result, JsonNode error,
                        JsonNode usage, JsonNode interrupts, boolean resultPublished, Instant finishedAt,
                        Instant interruptedAt, String cancelReason, Duration untilDeadline) {

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
