package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * How the jobs table's rows read and are written by every statement of this package: the columns
 * a {@link JobRecord} is made of, the JSON columns as trees, and what a database error means.
 */
final class JobRows {
    private static final Logger LOG = LoggerFactory.getLogger(JobRows.class);

    /** What a statement selects or returns to make a {@link JobRecord} with {@link #record}. */
    static final String COLUMNS = "id, trace_id, status, attempts, result, error, usage, interrupts, result_published_at, "
            + "finished_at, interrupted_at, cancel_reason, "
            + "(extract(epoch FROM deadline_at - now()) * 1000)::bigint AS deadline_in_millis";

    private final ObjectMapper json;

    JobRows(ObjectMapper json) {
        this.json = json;
    }

    JobRecord record(ResultSet row) throws SQLException {
        return new JobRecord(row.getString("id"), row.getString("trace_id"),
                JobStatus.fromColumn(row.getString("status")), row.getInt("attempts"),
                tree(row.getString("result")), tree(row.getString("error")), tree(row.getString("usage")),
                tree(row.getString("interrupts")), row.getObject("result_published_at") != null,
                instant(row.getObject("finished_at", OffsetDateTime.class)), instant(row.getObject("interrupted_at", OffsetDateTime.class)),
                row.getString("cancel_reason"),
                row.getObject("deadline_in_millis") == null ? null : Duration.ofMillis(Math.max(0, row.getLong("deadline_in_millis"))));
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    String text(JsonNode node) {
        return node == null ? null : node.toString();
    }

    JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the jobs table holds invalid JSON", e);
        }
    }

    /**
     * SQLSTATE class 22 (data exception: a NUL, an invalid byte sequence, a value out of range) is
     * the job's data, not an outage: a retry would fail again. Its PostgreSQL text is not quoted,
     * since it may carry the value that could not be stored.
     */
    static RuntimeException fault(String action, SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
            LOG.warn("PostgreSQL refused the data to {} (SQLSTATE {})", action, e.getSQLState());
            return new BadInput("data", "the job holds a value PostgreSQL cannot store (SQLSTATE " + e.getSQLState() + ")");
        }
        return new InfrastructureFault("postgres", "PostgreSQL failed to " + action + ": " + e.getMessage(), e);
    }
}
