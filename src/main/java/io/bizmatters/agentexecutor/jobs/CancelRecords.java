package io.bizmatters.agentexecutor.jobs;

import io.bizmatters.agentexecutor.agent.CancelRequest;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Cancels in the jobs table: written before anything else acts on them, so a cancel outlives the
 * pod that received it and reaches a job that has not arrived yet (docs/job-control.md).
 */
public class CancelRecords {
    /** What a cancel found, and the reason the job is cancelled for: the first cancel's. */
    public record Recorded(Found found, String reason) {
    }

    /** What a cancel found. */
    public enum Found {
        /** The job is running (here, elsewhere, or waiting for a redelivery): it stops at once or at its next step. */
        RUNNING,
        /** The job had already ended; nothing changed. */
        FINISHED,
        /** No such job yet: it is recorded cancelled, so it will not run if it arrives. */
        UNKNOWN
    }

    /**
     * The first cancel of a running job wins; an unknown job becomes a cancelled row with no
     * attempts, whose stored error a later arrival publishes instead of running it.
     */
    private static final String RECORD = """
            INSERT INTO jobs (id, trace_id, status, attempts, finished_at, cancel_requested_at, cancel_reason, error)
            VALUES (?, NULL, 'cancelled', 0, now(), now(), ?, ?::jsonb)
            ON CONFLICT (id) DO UPDATE SET
                cancel_requested_at = COALESCE(jobs.cancel_requested_at, now()),
                cancel_reason = COALESCE(jobs.cancel_reason, EXCLUDED.cancel_reason)
            WHERE jobs.status = 'running'
            RETURNING (xmax = 0) AS created, cancel_reason""";

    private static final String REQUESTED = "SELECT cancel_reason FROM jobs WHERE id = ? AND cancel_requested_at IS NOT NULL";

    private final DataSource dataSource;
    private final ResultEvents results;

    public CancelRecords(DataSource dataSource, ResultEvents results) {
        this.dataSource = dataSource;
        this.results = results;
    }

    public Recorded record(CancelRequest cancel) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RECORD)) {
            s.setString(1, cancel.jobId());
            s.setString(2, cancel.reason());
            s.setString(3, results.error(new Cancelled(cancel.reason())).toString());
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return new Recorded(Found.FINISHED, null);
                }
                return new Recorded(rows.getBoolean("created") ? Found.UNKNOWN : Found.RUNNING, rows.getString("cancel_reason"));
            }
        } catch (SQLException e) {
            throw new InfrastructureFault("postgres", "PostgreSQL failed to record the cancel of job " + cancel.jobId()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The reason of the job's cancel, if one was recorded: what a job asks at every step boundary. */
    public Optional<String> requested(String jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(REQUESTED)) {
            s.setString(1, jobId);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new InfrastructureFault("postgres", "PostgreSQL failed to read the cancel state of job " + jobId
                    + ": " + e.getMessage(), e);
        }
    }
}
