package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A job's row as a delivery sees it after claiming it. A finished record carries what its result
 * event needs, so a duplicate delivery republishes it instead of running the job again.
 *
 * @param result the completed event's {@code result} object, or null
 * @param error  the failed event's {@code error} object, or null
 * @param resultPublished true once JetStream confirmed the job's result event
 * @param finishedAt when the job reached its terminal state (the database's clock), or null
 */
public record JobRecord(String jobId, String traceId, JobStatus status, int attempts, JsonNode result, JsonNode error,
                        boolean resultPublished, Instant finishedAt) {

    /** True when an earlier delivery already brought the job to a terminal state. */
    public boolean isFinished() {
        return status.terminal();
    }
}
