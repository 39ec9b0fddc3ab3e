package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails parked jobs that waited longer than AGENT_INTERRUPT_TIMEOUT_SECONDS. Each pod's sweep
 * takes expired rows with {@code FOR UPDATE SKIP LOCKED} and a compare-and-set on the status, so a
 * job expires once, and a resume racing the sweep either wins or finds the job failed. The sweeping
 * pod holds a lease on each row until its failed event is confirmed; a row whose event did not go
 * out is picked up again once that lease runs out. At most 100 rows per sweep of each kind.
 */
public class ExpiredInterrupts {
    private static final String EXPIRE = """
            UPDATE jobs SET status = 'failed', finished_at = now(), error = ?::jsonb,
                            parked_seconds = parked_seconds + EXTRACT(EPOCH FROM now() - interrupted_at),
                            lease_owner = ?, lease_until = now() + ? * interval '1 second'
            WHERE status = 'interrupted' AND id IN (
                SELECT id FROM jobs WHERE status = 'interrupted' AND interrupted_at < now() - ? * interval '1 second'
                ORDER BY interrupted_at LIMIT 100 FOR UPDATE SKIP LOCKED)
            RETURNING id, trace_id, error""";

    /** Expired rows whose failed event is not confirmed and whose sweeper's lease ran out (that pod died or NATS was down). */
    private static final String UNPUBLISHED = """
            UPDATE jobs SET lease_owner = ?, lease_until = now() + ? * interval '1 second'
            WHERE id IN (
                SELECT id FROM jobs WHERE status = 'failed' AND result_published_at IS NULL AND lease_until < now()
                  AND error ->> 'type' = 'InterruptExpired'
                LIMIT 100 FOR UPDATE SKIP LOCKED)
            RETURNING id, trace_id, error""";

    private static final String PUBLISHED = """
            UPDATE jobs SET result_published_at = now(), lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND status = 'failed'""";

    private final DataSource dataSource;
    private final JobStore jobs;

    public ExpiredInterrupts(DataSource dataSource, JobStore jobs) {
        this.dataSource = dataSource;
        this.jobs = jobs;
    }

    /** One expired job whose failed event is due; {@code again} when an earlier sweep failed to publish it. */
    public record Expired(String jobId, String traceId, JsonNode error, boolean again) {
    }

    /** Fails the jobs parked longer than {@code timeout} with {@code error}, and returns them with any left unpublished. */
    public List<Expired> expire(Duration timeout, JsonNode error) {
        List<Expired> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(EXPIRE)) {
                s.setString(1, error.toString());
                s.setString(2, jobs.leases().owner());
                s.setLong(3, JobStore.LEASE.toSeconds());
                s.setLong(4, timeout.toSeconds());
                collect(s, false, due);
            }
            try (PreparedStatement s = c.prepareStatement(UNPUBLISHED)) {
                s.setString(1, jobs.leases().owner());
                s.setLong(2, JobStore.LEASE.toSeconds());
                collect(s, true, due);
            }
        } catch (SQLException e) {
            throw JobRows.fault("expire parked jobs", e);
        }
        return due;
    }

    /** JetStream confirmed the job's failed event. */
    public void published(String jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(PUBLISHED)) {
            s.setString(1, jobId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw JobRows.fault("note the expiry of job " + jobId + " as published", e);
        }
    }

    private void collect(PreparedStatement s, boolean again, List<Expired> into) throws SQLException {
        try (ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                into.add(new Expired(rows.getString("id"), rows.getString("trace_id"), jobs.rows().tree(rows.getString("error")), again));
            }
        }
    }
}
