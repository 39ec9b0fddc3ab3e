package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.testsupport.TestServers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a job in the service's {@code checkpoints} table (schema {@code public} in the tests), read
 * as an operator would with psql.
 *
 * @param branch   the branch thread of a specialist or a tool of a fan-out ({@code 1/task/c2}), empty for the job's own steps
 * @param whole    parent_id is NULL: the row holds the entire state, not a delta
 * @param jsonBytes octet length of the JSON the row carries (channels plus appended items)
 * @param storedBytes what PostgreSQL stores for those columns, after TOAST compression
 * @param stateBytes octet length of the whole state at this row, as the same JSON text
 * @param state    the whole state at this row, folded by {@code checkpoint_state()}
 */
record CheckpointRow(long id, String branch, boolean whole, String nodeId, String nextNodeId, long jsonBytes, long storedBytes,
                     long stateBytes, JsonNode state) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<CheckpointRow> of(String jobId) {
        String select = "SELECT id, branch, parent_id IS NULL AS whole, node_id, next_node_id,"
                + " octet_length(channels::text) + coalesce(octet_length(appended::text), 0) AS json_bytes,"
                + " pg_column_size(channels) + coalesce(pg_column_size(appended), 0) AS stored_bytes,"
                + " octet_length(checkpoint_state(thread_id, id)::text) AS state_bytes,"
                + " checkpoint_state(thread_id, id)::text AS state"
                + " FROM checkpoints WHERE thread_id = ? ORDER BY id";
        try (Connection c = TestServers.postgres().connect(); PreparedStatement s = c.prepareStatement(select)) {
            s.setString(1, jobId);
            List<CheckpointRow> rows = new ArrayList<>();
            try (ResultSet row = s.executeQuery()) {
                while (row.next()) {
                    rows.add(new CheckpointRow(row.getLong("id"), row.getString("branch"), row.getBoolean("whole"), row.getString("node_id"),
                            row.getString("next_node_id"), row.getLong("json_bytes"), row.getLong("stored_bytes"),
                            row.getLong("state_bytes"),
                            JSON.readTree(row.getString("state"))));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the checkpoints of " + jobId, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the last message of the conversation at this row (the orchestrator's on the job's own rows). */
    String lastMessage() {
        return state.path("messages").path(state.path("messages").size() - 1).path("content").asText();
    }
}
