package io.bizmatters.agentexecutor.checkpoint;

import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.bizmatters.agentexecutor.checkpoint.CheckpointDatabase.count;
import static io.bizmatters.agentexecutor.checkpoint.CheckpointDatabase.execute;
import static io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaverTest.newThread;
import static io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaverTest.threadOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointRetentionTest {
    private final PostgresCheckpointSaver saver = new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false);
    private final CheckpointRetention keepLast =
            new CheckpointRetention(CheckpointDatabase.dataSource(), new RetentionPolicy(true, 7));
    private final CheckpointRetention keepNone =
            new CheckpointRetention(CheckpointDatabase.dataSource(), new RetentionPolicy(false, 7));

    @Test
    void keepLastLeavesOnlyTheFinalCheckpointOfAFinishedJob() {
        RunnableConfig config = newThread();
        runJob(config, 5);

        int deleted = keepLast.jobFinished(threadOf(config));

        assertThat(deleted).isEqualTo(4);
        assertThat(rows(config)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM checkpoints WHERE thread_id = ? AND parent_id IS NULL AND appended IS NULL",
                threadOf(config))).isEqualTo(1);
        Checkpoint last = saver.get(config).orElseThrow();
        assertThat(last.getNextNodeId()).isEqualTo("__END__");
        assertThat(last.getState()).isEqualTo(stateAfter(5));
        assertThat(keepLast.jobFinished(threadOf(config))).isZero();
    }

    @Test
    void keepNoneKeepsAFinishedJobUntilItIsIdleForTheConfiguredDays() {
        RunnableConfig old = newThread();
        RunnableConfig recent = newThread();
        RunnableConfig halfOld = newThread();
        runJob(old, 3);
        runJob(recent, 3);
        runJob(halfOld, 3);
        age(old, "8 days");
        execute("UPDATE checkpoints SET created_at = now() - interval '8 days' "
                + "WHERE thread_id = ? AND id < (SELECT max(id) FROM checkpoints WHERE thread_id = ?)",
                threadOf(halfOld), threadOf(halfOld));

        assertThat(keepNone.jobFinished(threadOf(old))).isZero();
        keepNone.sweep();

        assertThat(rows(old)).isZero();
        assertThat(rows(recent)).isEqualTo(3);
        assertThat(rows(halfOld)).isEqualTo(3);
        assertThat(saver.get(halfOld).orElseThrow().getState()).isEqualTo(stateAfter(3));
    }

    @Test
    void keepLastSweepCompactsThreadsWhoseJobNeverFinished() {
        RunnableConfig abandoned = newThread();
        RunnableConfig running = newThread();
        runJob(abandoned, 4);
        runJob(running, 4);
        age(abandoned, "8 days");

        keepLast.sweep();

        assertThat(rows(abandoned)).isEqualTo(1);
        assertThat(saver.get(abandoned).orElseThrow().getState()).isEqualTo(stateAfter(4));
        assertThat(rows(running)).isEqualTo(4);
    }

    @Test
    void policyComesFromTheEnvironmentWithClearErrors() {
        assertThat(RetentionPolicy.fromEnvironment(Map.of())).isEqualTo(new RetentionPolicy(true, 7));
        assertThat(RetentionPolicy.fromEnvironment(Map.of("CHECKPOINT_RETENTION", "none", "CHECKPOINT_RETENTION_DAYS", "30")))
                .isEqualTo(new RetentionPolicy(false, 30));
        assertThatThrownBy(() -> RetentionPolicy.fromEnvironment(Map.of("CHECKPOINT_RETENTION", "all")))
                .hasMessageEndingWith("CHECKPOINT_RETENTION must be 'last' or 'none', got 'all'");
        assertThatThrownBy(() -> RetentionPolicy.fromEnvironment(Map.of("CHECKPOINT_RETENTION_DAYS", "a week")))
                .hasMessageEndingWith("CHECKPOINT_RETENTION_DAYS must be a whole number of at least 1, got 'a week'");
        assertThatThrownBy(() -> RetentionPolicy.fromEnvironment(Map.of("CHECKPOINT_RETENTION_DAYS", "0")))
                .hasMessageEndingWith("CHECKPOINT_RETENTION_DAYS must be a whole number of at least 1, got '0'");
    }

    /** Writes one checkpoint per step, the last one pointing at END, as a finished graph does. */
    private void runJob(RunnableConfig config, int steps) {
        for (int step = 1; step <= steps; step++) {
            saver.put(config, Checkpoint.builder().nodeId("agent").nextNodeId(step == steps ? "__END__" : "agent")
                    .state(stateAfter(step)).build());
        }
    }

    private static Map<String, Object> stateAfter(int steps) {
        List<Object> messages = new ArrayList<>();
        for (int step = 1; step <= steps; step++) {
            messages.add(Map.of("role", "assistant", "content", "turn " + step));
        }
        return Map.of("messages", messages, "todos", List.of(Map.of("content", "todo " + steps, "status", "pending")));
    }

    private static void age(RunnableConfig config, String interval) {
        execute("UPDATE checkpoints SET created_at = now() - ?::interval WHERE thread_id = ?", interval, threadOf(config));
    }

    private static long rows(RunnableConfig config) {
        return count("SELECT count(*) FROM checkpoints WHERE thread_id = ?", threadOf(config));
    }
}
