package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    /**
     * What a cancel found, and the reason the job is cancelled for: the first cancel's. A job
     * cancelled while parked also brings what its failed event needs.
     */
    public record Recorded(Found found, String reason, String traceId, JsonNode error) {
        Recorded(Found found, String reason) {
            this(found, reason, null, null);
        }
    }

    /** What a cancel found. */
    public enum Found {
        /** The job is running (here, elsewhere, or waiting for a redelivery): it stops at once or at its next step. */
        RUNNING,
        /** The job had already ended; nothing changed. */
        FINISHED,
        /** No such job yet: it is recorded cancelled, so it will not run if it arrives. */
        UNKNOWN,
        /**
         * The job was parked (docs/approvals.md), so no pod runs it: it is now cancelled, and its
         * failed event and stream error are the canceller's to send (again, if an earlier cancel
         * of the parked job could not send them).
         */
        PARKED
    }

    /**
     * The compare-and-set interrupted -> cancelled: a resume or the expiry sweep racing it finds
     * the job no longer interrupted. A job cancelled while parked whose failed event is not out
     * yet (resumed_at before interrupted_at: it never ran again) is found again, so a retried
     * cancel sends it.
     */
    private static final String CANCEL_PARKED = """
            UPDATE jobs SET status = 'cancelled', finished_at = now(), cancel_requested_at = now(), cancel_reason = ?,
                            error = ?::jsonb, result_published_at = NULL,
                            parked_seconds = parked_seconds + EXTRACT(EPOCH FROM now() - interrupted_at)
            WHERE id = ? AND status = 'interrupted'
            RETURNING trace_id, cancel_reason, error""";

    private static final String PARKED_UNPUBLISHED = """
            SELECT trace_id, cancel_reason, error FROM jobs
            WHERE id = ? AND status = 'cancelled' AND result_published_at IS NULL AND interrupted_at IS NOT NULL
              AND (resumed_at IS NULL OR resumed_at < interrupted_at)""";

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

    private final DataSource dataSource;
    private final ResultEvents results;
    private final ObjectMapper json = new ObjectMapper();

    public CancelRecords(DataSource dataSource, ResultEvents results) {
        this.dataSource = dataSource;
        this.results = results;
    }

    /** JetStream confirmed the failed event of a job cancelled while parked. */
    public void published(String jobId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE jobs SET result_published_at = now() WHERE id = ? AND status = 'cancelled'")) {
            s.setString(1, jobId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new InfrastructureFault("postgres", "PostgreSQL failed to note the cancel of job " + jobId
                    + " as published: " + e.getMessage(), e);
        }
    }

    public Recorded record(CancelRequest cancel) {
        String error = results.error(new Cancelled(cancel.reason())).toString();
        try (Connection c = dataSource.getConnection()) {
            Optional<Recorded> parked = parked(c, CANCEL_PARKED, cancel.reason(), error, cancel.jobId())
                    .or(() -> parked(c, PARKED_UNPUBLISHED, cancel.jobId()));
            if (parked.isPresent()) {
                return parked.get();
            }
            try (PreparedStatement s = c.prepareStatement(RECORD)) {
                s.setString(1, cancel.jobId());
                s.setString(2, cancel.reason());
                s.setString(3, error);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return new Recorded(Found.FINISHED, null);
                    }
                    return new Recorded(rows.getBoolean("created") ? Found.UNKNOWN : Found.RUNNING, rows.getString("cancel_reason"));
                }
            }
        } catch (UncheckedSqlException e) {
            throw new InfrastructureFault("postgres", "PostgreSQL failed to record the cancel of job " + cancel.jobId()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (SQLException e) {
            throw new InfrastructureFault("postgres", "PostgreSQL failed to record the cancel of job " + cancel.jobId()
                    + ": " + e.getMessage(), e);
        }
    }

    private Optional<Recorded> parked(Connection c, String sql, String... parameters) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Recorded(Found.PARKED, rows.getString("cancel_reason"), rows.getString("trace_id"),
                        json.readTree(rows.getString("error"))));
            }
        } catch (SQLException e) {
            throw new UncheckedSqlException(e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the jobs table holds invalid JSON", e);
        }
    }

    /** Carries a SQLException out of {@link Optional#or}. */
    private static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
