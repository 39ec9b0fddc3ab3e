package io.bizmatters.agentexecutor.checkpoint;

import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * LangGraph4j checkpoints in PostgreSQL (table {@code checkpoints}, migration V2). Each put is one
 * INSERT in its own commit; the state is JSONB an operator can read, stored as a delta on the
 * previous row this saver wrote for the thread (see {@link StateRow}). Reads fold the delta chain
 * in SQL with {@code checkpoint_state()}, the same function operators use.
 *
 * <p>Two writes are left out because they buy nothing (docs/checkpoints.md): the checkpoint taken
 * at START only holds the job's input, which its message still carries, so a job cut off in its
 * first step starts again either way; and under retention {@code last} the final checkpoint (next
 * node END) is written whole and replaces the thread's older rows in the same commit, instead of
 * a later compaction of its own.
 *
 * <p>Nor does it read a thread its job's claim found empty ({@link NewThreads}): a job's first run
 * reads nothing before its first step.
 *
 * <p>Implements {@link BaseCheckpointSaver} directly: {@code AbstractCheckpointSaver} reloads every
 * checkpoint of the thread on each put and serialises all threads behind one lock.
 *
 * <p>Every SQL failure surfaces as an {@code InfrastructureFault("postgres", ...)}; LangGraph4j
 * wraps exceptions from a running graph, so callers find it in the cause chain.
 */
public final class PostgresCheckpointSaver implements BaseCheckpointSaver {
    /** Twice the 2,000 jobs a JVM keeps in flight; beyond that, a thread's next row is whole. */
    private static final int REMEMBERED_THREADS = 4_096;

    private static final String SELECT_CHECKPOINT =
            "SELECT id, checkpoint_id, node_id, next_node_id, checkpoint_state(thread_id, id)::text FROM checkpoints ";

    private final Jdbc jdbc;
    private final boolean keepOnlyLast;
    private final WrittenStates written = new WrittenStates(REMEMBERED_THREADS);
    private final NewThreads newThreads;

    /** @param keepOnlyLast retention {@code last}: a finished thread keeps only its final checkpoint */
    public PostgresCheckpointSaver(DataSource dataSource, boolean keepOnlyLast) {
        this(dataSource, keepOnlyLast, new NewThreads());
    }

    /** @param newThreads threads whose claim found no checkpoint: read without a query */
    public PostgresCheckpointSaver(DataSource dataSource, boolean keepOnlyLast, NewThreads newThreads) {
        this.jdbc = new Jdbc(dataSource);
        this.keepOnlyLast = keepOnlyLast;
        this.newThreads = newThreads;
    }

    /** Newest first, as LangGraph4j's own savers list them. */
    @Override
    public Collection<Checkpoint> list(RunnableConfig config) {
        String threadId = threadId(config);
        if (newThreads.contains(threadId)) {
            return List.of();
        }
        BranchThreads.Key key = BranchThreads.key(threadId);
        return jdbc.call("listing checkpoints of thread " + threadId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    SELECT_CHECKPOINT + "WHERE thread_id = ? AND branch = ? ORDER BY id DESC")) {
                select.setString(1, key.threadId());
                select.setString(2, key.branch());
                return readAll(select);
            }
        });
    }

    /** The checkpoint named by the config's checkpoint id, else the thread's latest. */
    @Override
    public Optional<Checkpoint> get(RunnableConfig config) {
        String threadId = threadId(config);
        Optional<String> checkpointId = config.checkPointId();
        if (newThreads.contains(threadId)) {
            return Optional.empty();
        }
        BranchThreads.Key key = BranchThreads.key(threadId);
        return jdbc.call("reading a checkpoint of thread " + threadId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT_CHECKPOINT
                    + "WHERE thread_id = ? AND branch = ? AND (?::text IS NULL OR checkpoint_id = ?) ORDER BY id DESC LIMIT 1")) {
                select.setString(1, key.threadId());
                select.setString(2, key.branch());
                select.setString(3, checkpointId.orElse(null));
                select.setString(4, checkpointId.orElse(null));
                return readAll(select).stream().findFirst();
            }
        });
    }

    /**
     * Appends the checkpoint, or, when the config names a checkpoint id, replaces that checkpoint
     * (LangGraph4j's {@code updateState}) and returns the config unchanged, as its savers do.
     */
    @Override
    public RunnableConfig put(RunnableConfig config, Checkpoint checkpoint) {
        String threadId = threadId(config);
        if (config.checkPointId().isPresent()) {
            newThreads.remove(threadId);
            replace(threadId, config.checkPointId().get(), checkpoint);
            return config;
        }
        if (!writes(config, checkpoint)) {
            return config;
        }
        newThreads.remove(threadId);
        if (keepOnlyLast && StateGraph.END.equals(checkpoint.getNextNodeId())) {
            insertFinal(threadId, checkpoint);
        } else {
            insert(threadId, checkpoint);
        }
        return RunnableConfig.builder(config).checkPointId(checkpoint.getId()).build();
    }

    /** Whether {@link #put} writes this checkpoint: all but the one taken at START (see above). */
    public static boolean writes(RunnableConfig config, Checkpoint checkpoint) {
        return config.checkPointId().isPresent() || !StateGraph.START.equals(checkpoint.getNodeId());
    }

    /** Deletes every checkpoint of the thread and hands them back, newest first. */
    @Override
    public Tag release(RunnableConfig config) {
        String threadId = threadId(config);
        written.forget(threadId);
        newThreads.remove(threadId);
        BranchThreads.Key key = BranchThreads.key(threadId);
        List<Checkpoint> released = jdbc.call("releasing checkpoints of thread " + threadId, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM checkpoints WHERE thread_id = ? AND branch = ? "
                    + "RETURNING id, checkpoint_id, node_id, next_node_id, checkpoint_state(thread_id, id)::text")) {
                delete.setString(1, key.threadId());
                delete.setString(2, key.branch());
                return readAll(delete);
            }
        });
        return new Tag(threadId, released);
    }

    private void insert(String threadId, Checkpoint checkpoint) {
        Optional<WrittenStates.Written> parent = written.last(threadId);
        StateRow row = parent.map(p -> StateRow.deltaOn(p.digests(), checkpoint.getState()))
                .orElseGet(() -> StateRow.whole(checkpoint.getState()));
        long rowId = jdbc.call("writing a checkpoint of thread " + threadId,
                connection -> insertRow(connection, threadId, parent.map(WrittenStates.Written::rowId), checkpoint, row));
        if (StateGraph.END.equals(checkpoint.getNextNodeId())) {
            written.forget(threadId); // the run is over: no next row to encode as a delta
        } else {
            written.remember(threadId, new WrittenStates.Written(rowId, row.digests()));
        }
    }

    /**
     * The thread's final checkpoint, whole, and nothing older: one commit. A thread that reached its
     * end has joined every branch it started, so their rows go too: for the job's own thread, every
     * branch of the job; for a branch, the branches nested in it.
     */
    private void insertFinal(String threadId, Checkpoint checkpoint) {
        written.forget(threadId);
        StateRow row = StateRow.whole(checkpoint.getState());
        BranchThreads.Key key = BranchThreads.key(threadId);
        jdbc.inTransaction("writing the final checkpoint of thread " + threadId, connection -> {
            long rowId = insertRow(connection, threadId, Optional.empty(), checkpoint, row);
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

    private static long insertRow(Connection connection, String threadId, Optional<Long> parentRowId,
                                  Checkpoint checkpoint, StateRow row) throws SQLException {
        BranchThreads.Key key = BranchThreads.key(threadId);
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

    /**
     * Rewrites one checkpoint in place. Its children were deltas on the old state, so they are
     * first made whole; the replaced row becomes whole too.
     */
    private void replace(String threadId, String checkpointId, Checkpoint checkpoint) {
        written.forget(threadId);
        StateRow row = StateRow.whole(checkpoint.getState());
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
