package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The jobs table: claim a job for a delivery and record how it ended (GET /jobs/{id} reads it, in
 * job-lookup.camel.yaml). Every database
 * error becomes an {@link InfrastructureFault}, so the delivery is retried rather than reported as
 * a failed job.
 */
public class JobStore {
    private static final String COLUMNS = "id, trace_id, status, attempts, result, error";

    /** A new job starts running; a known one counts another attempt but keeps a terminal status. */
    private static final String CLAIM = """
            INSERT INTO jobs (id, trace_id, status) VALUES (?, ?, 'running')
            ON CONFLICT (id) DO UPDATE SET
                attempts = jobs.attempts + 1,
                started_at = CASE WHEN jobs.status = 'running' THEN now() ELSE jobs.started_at END
            RETURNING\s""" + COLUMNS;

    private static final String FINISH = """
            UPDATE jobs SET status = ?, finished_at = now(), result = ?::jsonb, error = ?::jsonb,
                            usage = COALESCE(?::jsonb, usage)
            WHERE id = ?""";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final ResultEvents results;

    public JobStore(DataSource dataSource, ObjectMapper json, ResultEvents results) {
        this.dataSource = dataSource;
        this.json = json;
        this.results = results;
    }

    public JobRecord claim(AgentJob job) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setString(1, job.jobId());
            s.setString(2, job.traceId());
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return record(rows);
            }
        } catch (SQLException e) {
            throw fault("claim job " + job.jobId(), e);
        }
    }

    /** Stores the completed event's result object and the token usage. */
    public void recordCompleted(AgentJob job, AgentOutcome outcome) {
        finish(job.jobId(), JobStatus.COMPLETED, results.result(outcome), null, usage(outcome.usage()));
    }

    /** Snake case, like every other JSON field the service writes. */
    private JsonNode usage(List<AgentOutcome.ModelUsage> usage) {
        ArrayNode models = json.createArrayNode();
        usage.forEach(model -> models.addObject()
                .put("provider", model.provider()).put("model", model.model())
                .put("input_tokens", model.inputTokens()).put("output_tokens", model.outputTokens()));
        return models;
    }

    /** Stores the failed event's error object. */
    public void recordFailed(String jobId, Throwable failure) {
        finish(jobId, JobStatus.FAILED, null, results.error(failure), null);
    }

    private void finish(String jobId, JobStatus status, JsonNode result, JsonNode error, JsonNode usage) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(FINISH)) {
            s.setString(1, status.column());
            s.setString(2, text(result));
            s.setString(3, text(error));
            s.setString(4, text(usage));
            s.setString(5, jobId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw fault("record job " + jobId + " as " + status.column(), e);
        }
    }

    private JobRecord record(ResultSet row) throws SQLException {
        return new JobRecord(row.getString("id"), row.getString("trace_id"),
                JobStatus.fromColumn(row.getString("status")), row.getInt("attempts"),
                tree(row.getString("result")), tree(row.getString("error")));
    }

    private String text(JsonNode node) {
        return node == null ? null : node.toString();
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the jobs table holds invalid JSON", e);
        }
    }

    private static InfrastructureFault fault(String action, SQLException e) {
        return new InfrastructureFault("postgres", "PostgreSQL failed to " + action + ": " + e.getMessage(), e);
    }
}
