package io.bizmatters.agentexecutor.checkpoint;

import org.bsc.langgraph4j.checkpoint.Checkpoint;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The SQL over table {@code checkpoints} that {@link PostgresCheckpointSaver} runs, each method one
 * statement or one commit; which rows to write, whole or as deltas, is the saver's to decide.
 */
final class CheckpointRows {
    /** A row as a checkpoint: {@code checkpoint_state()} folds its delta chain, as operators' reads do. */
    private static final String CHECKPOINT_COLUMNS =
            "id, checkpoint_id, node_id, next_node_id, checkpoint_state(thread_id, id)::text";

    private final Jdbc jdbc;

    CheckpointRows(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Every checkpoint of the thread, newest first. */
    List<Checkpoint> list(String threadId) {
        BranchThreads.Key key = BranchThreads.key(threadId);
        return jdbc.call("listing checkpoints of thread " + threadId, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                    + " FROM checkpoints WHERE thread_id = ? AND branch = ? ORDER BY id DESC")) {
                select.setString(1, key.threadId());
                select.setString(2, key.branch());
                return readAll(select);
            }
        });
    }

    /** The checkpoint of that id, or the thread's latest when no id is given. */
    Optional<Checkpoint> find(String threadId, Optional<String> checkpointId) {
        BranchThreads.Key key = BranchThreads.key(threadId);
        return jdbc.call("reading a checkpoint of thread " + threadId, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints "
                    + "WHERE thread_id = ? AND branch = ? AND (?::text IS NULL OR checkpoint_id = ?) ORDER BY id DESC LIMIT 1")) {
                select.setString(1, key.threadId());
                select.setString(2, key.branch());
                select.setString(3, checkpointId.orElse(null));
                select.setString(4, checkpointId.orElse(null));
                return readAll(select).stream().findFirst();
            }
        });
    }

    /** Deletes every checkpoint of the thread and hands them back, newest first. */
    List<Checkpoint> delete(String threadId) {
        BranchThreads.Key key = BranchThreads.key(threadId);
        return jdbc.call("releasing checkpoints of thread " + threadId, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM checkpoints WHERE thread_id = ? AND branch = ? RETURNING " + CHECKPOINT_COLUMNS)) {
                delete.setString(1, key.threadId());
                delete.setString(2, key.branch());
                return readAll(delete);
            }
        });
    }

    /** @return the new row's id, for the next row's delta */
    long insert(String threadId, Optional<Long> parentRowId, Checkpoint checkpoint, StateRow row) {
        return jdbc.call("writing a checkpoint of thread " + threadId,
                connection -> insertRow(connection, BranchThreads.key(threadId), parentRowId, checkpoint, row));
    }

    /**
     * The thread's final checkpoint, and nothing older: one commit. A thread that reached its end
     * has joined every branch it started, so their rows go too: for the job's own thread, every
     * branch of the job; for a branch, the branches nested in it.
     */
    void insertFinal(String threadId, Checkpoint checkpoint, StateRow row) {
        BranchThreads.Key key = BranchThreads.key(threadId);
        jdbc.inTransaction("writing the final checkpoint of thread " + threadId, connection -> {
            long rowId = insertRow(connection, key, Optional.empty(), checkpoint, row);
            try (PreparedStatement deleteOlder = connection.prepareStatement(key.isJob()
                    ? "DELETE FROM checkpoints WHERE thread_id = ? AND id < ?"
                    : "DELETE FROM checkpoints WHERE thread_id = ? AND id < ? AND (branch = ? OR starts_with(branch, ? || '/'))")) {
                deleteOlder.setString(1, key.threadId());
                deleteOlder.setLong(2, rowId);
                if (!key.isJob()) {
                    deleteOlder.setString(3, key.branch());
                    deleteOlder.setString(4, key.branch());
                }
                return deleteOlder.executeUpdate();
            }
        });
    }

    /**
     * Rewrites one checkpoint in place with a whole state. Its children were deltas on the old
     * state, so they are first made whole.
     */
    void replace(String threadId, String checkpointId, Checkpoint checkpoint, StateRow row) {
        // Row ids and checkpoint ids are unique across branches: the job's thread_id finds the row.
        String rowThread = BranchThreads.key(threadId).threadId();
        jdbc.inTransaction("replacing checkpoint " + checkpointId + " of thread " + threadId, connection -> {
            long rowId = lockRow(connection, rowThread, checkpointId);
            try (PreparedStatement children = connection.prepareStatement("UPDATE checkpoints "
                    + "SET channels = checkpoint_state(thread_id, id), appended = NULL, removed = NULL, parent_id = NULL "
                    + "WHERE thread_id = ? AND parent_id = ?");
                 PreparedStatement update = connection.prepareStatement("UPDATE checkpoints "
                         + "SET checkpoint_id = ?, node_id = ?, next_node_id = ?, channels = ?::jsonb, "
                         + "appended = NULL, removed = NULL, parent_id = NULL WHERE thread_id = ? AND id = ?")) {
                children.setString(1, rowThread);
                children.setLong(2, rowId);
                children.executeUpdate();
                update.setString(1, checkpoint.getId());
                update.setString(2, checkpoint.getNodeId());
                update.setString(3, checkpoint.getNextNodeId());
                update.setString(4, row.channelsJson());
                update.setString(5, rowThread);
                update.setLong(6, rowId);
                update.executeUpdate();
            }
            return null;
        });
    }

    private static long insertRow(Connection connection, BranchThreads.Key key, Optional<Long> parentRowId,
                                  Checkpoint checkpoint, StateRow row) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO checkpoints "
                + "(thread_id, branch, parent_id, checkpoint_id, node_id, next_node_id, channels, appended, removed) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?) RETURNING id")) {
            insert.setString(1, key.threadId());
            insert.setString(2, key.branch());
            if (parentRowId.isPresent()) {
                insert.setLong(3, parentRowId.get());
            } else {
                insert.setNull(3, Types.BIGINT);
            }
            insert.setString(4, checkpoint.getId());
            insert.setString(5, checkpoint.getNodeId());
            insert.setString(6, checkpoint.getNextNodeId());
            insert.setString(7, row.channelsJson());
            insert.setString(8, row.appendedJson());
            insert.setArray(9, row.removed() == null ? null : connection.createArrayOf("text", row.removed()));
            try (ResultSet inserted = insert.executeQuery()) {
                inserted.next();
                return inserted.getLong(1);
            }
        }
    }

    private static long lockRow(Connection connection, String threadId, String checkpointId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM checkpoints WHERE thread_id = ? AND checkpoint_id = ? ORDER BY id DESC LIMIT 1 FOR UPDATE")) {
            select.setString(1, threadId);
            select.setString(2, checkpointId);
            try (ResultSet found = select.executeQuery()) {
                if (!found.next()) {
                    throw new NoSuchElementException("Checkpoint with id " + checkpointId + " not found in thread " + threadId);
                }
                return found.getLong(1);
            }
        }
    }

    private static List<Checkpoint> readAll(PreparedStatement statement) throws SQLException {
        record Row(long id, Checkpoint checkpoint) {
        }
        List<Row> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(new Row(result.getLong(1), Checkpoint.builder()
                        .id(result.getString(2))
                        .nodeId(result.getString(3))
                        .nextNodeId(result.getString(4))
                        .state(StateJson.readState(result.getString(5)))
                        .build()));
            }
        }
        // DELETE ... RETURNING comes in no particular order
        return rows.stream().sorted(Comparator.comparingLong(Row::id).reversed()).map(Row::checkpoint).toList();
    }
}
