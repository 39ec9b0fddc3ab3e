package io.bizmatters.agentexecutor.watching;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What PostgreSQL knows that a watcher may need: whether a job exists and has finished, and the
 * state of its last checkpoint, which stands in as a {@code snapshot} event for events the stream
 * no longer holds (trimmed by STREAM_MAX_EVENTS).
 */
final class JobHistory {
    private static final String STATUS = "SELECT status FROM jobs WHERE id = ?";
    private static final String LAST_CHECKPOINT = """
            SELECT checkpoint_state(thread_id, id)::text AS state, node_id, next_node_id, created_at
              FROM checkpoints WHERE thread_id = ? AND branch = '' ORDER BY id DESC LIMIT 1""";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;

    JobHistory(DataSource dataSource, ObjectMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    /** The job's status column ({@code running}, {@code completed}, {@code failed}), empty for a job never claimed. */
    Optional<String> status(String jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(STATUS)) {
            s.setString(1, jobId);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new InfrastructureFault("postgres", "PostgreSQL cannot read job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code snapshot} event replacing the events {@code from} to {@code to}: the messages, the
     * specialists at work (frames), files, todos and usage of the job's last checkpoint. Its
     * {@code active_agent} is the innermost specialist at work, or null when it is the orchestrator.
     */
    String snapshot(String jobId, long from, long to) {
        ObjectNode event = json.createObjectNode().put("event_type", "snapshot").put("seq", to)
                .put("ts", clock.instant().toString());
        event.putNull("agent");
        ObjectNode data = event.putObject("data").put("job_id", jobId);
        data.putObject("replaces").put("from", from).put("to", to);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(LAST_CHECKPOINT)) {
            s.setString(1, jobId);
            try (ResultSet row = s.executeQuery()) {
                JsonNode state = row.next() ? json.readTree(row.getString("state")) : json.createObjectNode();
                if (!state.isEmpty()) {
                    data.putObject("checkpoint").put("node", row.getString("node_id"))
                            .put("next", row.getString("next_node_id"))
                            .put("created_at", row.getObject("created_at").toString());
                }
                for (String channel : new String[] {"messages", "frames", "todos"}) {
                    data.set(channel, state.has(channel) ? state.get(channel) : json.createArrayNode());
                }
                data.set("files", state.has("files") ? state.get("files") : json.createObjectNode());
                data.set("usage", state.has("usage") ? state.get("usage") : json.createObjectNode());
                JsonNode frames = data.get("frames");
                data.set("active_agent", frames.isEmpty() ? null : frames.get(frames.size() - 1).get("agent"));
            }
        } catch (SQLException e) {
            throw new InfrastructureFault("postgres", "PostgreSQL cannot read the checkpoint of job " + jobId + ": " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the checkpoints table holds invalid JSON", e);
        }
        return event.toString();
    }
}
