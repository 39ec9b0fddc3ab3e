package io.bizmatters.agentexecutor.checkpoint;

import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

import javax.sql.DataSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * LangGraph4j checkpoints in PostgreSQL (table {@code checkpoints}, migration V2). Each put is one
 * INSERT in its own commit; the state is JSONB an operator can read, stored as a delta on the
 * previous row this saver wrote for the thread (see {@link StateRow}). Reads fold the delta chain
 * in SQL with {@code checkpoint_state()}, the same function operators use ({@link CheckpointRows}).
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

    private final CheckpointRows rows;
    private final boolean keepOnlyLast;
    private final WrittenStates written = new WrittenStates(REMEMBERED_THREADS);
    private final NewThreads newThreads;

    /** @param keepOnlyLast retention {@code last}: a finished thread keeps only its final checkpoint */
    public PostgresCheckpointSaver(DataSource dataSource, boolean keepOnlyLast) {
        this(dataSource, keepOnlyLast, new NewThreads());
    }

    /** @param newThreads threads whose claim found no checkpoint: read without a query */
    public PostgresCheckpointSaver(DataSource dataSource, boolean keepOnlyLast, NewThreads newThreads) {
        this.rows = new CheckpointRows(dataSource);
        this.keepOnlyLast = keepOnlyLast;
        this.newThreads = newThreads;
    }

    /** Newest first, as LangGraph4j's own savers list them. */
    @Override
    public Collection<Checkpoint> list(RunnableConfig config) {
        String threadId = threadId(config);
        return newThreads.contains(threadId) ? List.of() : rows.list(threadId);
    }

    /** The checkpoint named by the config's checkpoint id, else the thread's latest. */
    @Override
    public Optional<Checkpoint> get(RunnableConfig config) {
        String threadId = threadId(config);
        return newThreads.contains(threadId) ? Optional.empty() : rows.find(threadId, config.checkPointId());
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
            // The rewritten row may be the one the next delta would build on, with a state no longer the remembered one.
            written.forget(threadId);
            rows.replace(threadId, config.checkPointId().get(), checkpoint, StateRow.whole(checkpoint.getState()));
            return config;
        }
        if (!writes(config, checkpoint)) {
            return config;
        }
        newThreads.remove(threadId);
        if (keepOnlyLast && StateGraph.END.equals(checkpoint.getNextNodeId())) {
            written.forget(threadId);
            rows.insertFinal(threadId, checkpoint, StateRow.whole(checkpoint.getState()));
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
        return new Tag(threadId, rows.delete(threadId));
    }

    /** A delta on the row this saver last wrote for the thread, when it still knows that row. */
    private void insert(String threadId, Checkpoint checkpoint) {
        Optional<WrittenStates.Written> parent = written.last(threadId);
        StateRow row = parent.map(p -> StateRow.deltaOn(p.digests(), checkpoint.getState()))
                .orElseGet(() -> StateRow.whole(checkpoint.getState()));
        long rowId = rows.insert(threadId, parent.map(WrittenStates.Written::rowId), checkpoint, row);
        if (StateGraph.END.equals(checkpoint.getNextNodeId())) {
            written.forget(threadId); // the run is over: no next row to encode as a delta
        } else {
            written.remember(threadId, new WrittenStates.Written(rowId, row.digests()));
        }
    }
}
