package io.bizmatters.agentexecutor.checkpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps checkpoint growth bounded. {@code execution.EngineRuns} calls {@link #jobFinished} when a job is
 * terminal (completed or failed); routes/checkpoint-retention.camel.yaml calls {@link #sweep}
 * hourly for the threads whose job never reached a terminal state.
 */
public final class CheckpointRetention {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRetention.class);

    private final Jdbc jdbc;
    private final RetentionPolicy policy;

    public CheckpointRetention(DataSource dataSource, RetentionPolicy policy) {
        this.jdbc = new Jdbc(dataSource);
        this.policy = policy;
    }

    /**
     * Under {@code last}, reduces the thread to its last checkpoint, made whole, so a redelivery of
     * the finished job still finds where it ended. Under {@code none}, the sweep removes it later.
     *
     * @return checkpoint rows deleted
     */
    public int jobFinished(String threadId) {
        return policy.keepLast() ? compact(threadId) : 0;
    }

    /**
     * Prunes threads without a new checkpoint for {@code idleDays}: compacts them under
     * {@code last}, deletes them under {@code none}.
     *
     * @return checkpoint rows deleted
     */
    public int sweep() {
        int deleted = policy.keepLast() ? compactIdleThreads() : deleteIdleThreads();
        if (deleted > 0) {
            LOG.info("Checkpoint retention ({}, {} idle days) deleted {} rows", policy.keepLast() ? "last" : "none",
                    policy.idleDays(), deleted);
        }
        return deleted;
    }

    private int compact(String threadId) {
        return jdbc.inTransaction("compacting checkpoints of thread " + threadId, connection -> {
            try (PreparedStatement last = connection.prepareStatement(
                    "SELECT max(id) FROM checkpoints WHERE thread_id = ? AND branch = ''");
                 PreparedStatement makeWhole = connection.prepareStatement("UPDATE checkpoints "
                         + "SET channels = checkpoint_state(thread_id, id), appended = NULL, removed = NULL, parent_id = NULL "
                         + "WHERE thread_id = ? AND id = ? AND parent_id IS NOT NULL");
                 // The job is over: the branches of its parallel tool calls go with its older rows.
                 PreparedStatement deleteOlder = connection.prepareStatement(
                         "DELETE FROM checkpoints WHERE thread_id = ? AND (id < ? OR branch <> '')")) {
                last.setString(1, threadId);
                long lastId;
                try (ResultSet found = last.executeQuery()) {
                    found.next();
                    lastId = found.getLong(1);
                    if (found.wasNull()) {
                        return 0;
                    }
                }
                makeWhole.setString(1, threadId);
                makeWhole.setLong(2, lastId);
                makeWhole.executeUpdate();
                deleteOlder.setString(1, threadId);
                deleteOlder.setLong(2, lastId);
                return deleteOlder.executeUpdate();
            }
        });
    }

    private int compactIdleThreads() {
        List<String> idle = jdbc.call("finding idle checkpoint threads", connection -> idleThreadsWithHistory(connection));
        int deleted = 0;
        for (String threadId : idle) {
            deleted += compact(threadId);
        }
        return deleted;
    }

    private List<String> idleThreadsWithHistory(Connection connection) throws SQLException {
        // A parked job resumes from its branches' checkpoints too; its expiry prunes them.
        try (PreparedStatement select = connection.prepareStatement("SELECT thread_id FROM checkpoints GROUP BY thread_id "
                + "HAVING count(*) > 1 AND max(created_at) < now() - make_interval(days => ?) "
                + "AND NOT EXISTS (SELECT 1 FROM jobs parked WHERE parked.id = thread_id AND parked.status = 'interrupted')")) {
            select.setInt(1, policy.idleDays());
            List<String> threads = new ArrayList<>();
            try (ResultSet found = select.executeQuery()) {
                while (found.next()) {
                    threads.add(found.getString(1));
                }
            }
            return threads;
        }
    }

    private int deleteIdleThreads() {
        return jdbc.call("deleting idle checkpoint threads", connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM checkpoints old "
                    + "WHERE old.created_at < now() - make_interval(days => ?) AND NOT EXISTS ("
                    + "SELECT 1 FROM checkpoints recent WHERE recent.thread_id = old.thread_id "
                    + "AND recent.created_at >= now() - make_interval(days => ?)) "
                    // A parked job waits on its checkpoints however long it is idle; its expiry prunes them.
                    + "AND NOT EXISTS (SELECT 1 FROM jobs parked WHERE parked.id = old.thread_id AND parked.status = 'interrupted')")) {
                delete.setInt(1, policy.idleDays());
                delete.setInt(2, policy.idleDays());
                return delete.executeUpdate();
            }
        });
    }
}
