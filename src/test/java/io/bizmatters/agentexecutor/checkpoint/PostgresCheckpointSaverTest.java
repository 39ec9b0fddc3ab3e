package io.bizmatters.agentexecutor.checkpoint;

import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.bizmatters.agentexecutor.checkpoint.CheckpointDatabase.count;
import static io.bizmatters.agentexecutor.checkpoint.CheckpointDatabase.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresCheckpointSaverTest {
    private final PostgresCheckpointSaver saver = new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false);

    @Test
    void roundTripsRealisticJsonState() {
        RunnableConfig config = newThread();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("messages", List.of(
                Map.of("role", "user", "content", "Résumé für Zoë — 日本語 ✓ 🚀"),
                Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of(
                        "id", "call_1", "name", "write_file",
                        "arguments", Map.of("path", "/notes.md", "content", "x".repeat(100 * 1024)))))));
        state.put("files", Map.of("/notes.md", Map.of("content", List.of("line 1", "line 2"), "modified_at", "2026-11-27")));
        state.put("todos", List.of(Map.of("content", "write tests", "status", "in_progress")));
        state.put("remaining_steps", 24);
        state.put("ratio", 0.25);
        state.put("done", false);
        state.put("nothing", null);

        saver.put(config, checkpoint("agent", "tools", state));

        Checkpoint read = saver.get(config).orElseThrow();
        assertThat(read.getState()).isEqualTo(state);
        assertThat(read.getNodeId()).isEqualTo("agent");
        assertThat(read.getNextNodeId()).isEqualTo("tools");
        assertThat(saver.list(config)).extracting(Checkpoint::getState).containsExactly(state);
        assertThat(text("SELECT checkpoint_state(?, max(id)) #>> '{messages,0,content}' FROM checkpoints WHERE thread_id = ?",
                threadOf(config), threadOf(config))).isEqualTo("Résumé für Zoë — 日本語 ✓ 🚀");
    }

    @Test
    void theStartCheckpointIsNotWrittenSinceTheJobsMessageStillHoldsItsInput() {
        RunnableConfig config = newThread();

        saver.put(config, checkpoint("__START__", "agent", conversation(1)));

        assertThat(saver.get(config)).isEmpty();
        saver.put(config, checkpoint("agent", "tools", conversation(2)));
        assertThat(count("SELECT count(*) FROM checkpoints WHERE thread_id = ? AND parent_id IS NULL", threadOf(config)))
                .isEqualTo(1);
    }

    @Test
    void underRetentionLastTheFinalCheckpointIsWrittenWholeAndReplacesTheOlderRowsInOneCommit() {
        PostgresCheckpointSaver keepingLast = new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), true);
        RunnableConfig config = newThread();
        for (int step = 1; step <= 3; step++) {
            keepingLast.put(config, checkpoint("agent", "tools", conversation(step)));
        }

        keepingLast.put(config, checkpoint("agent", "__END__", conversation(4)));

        assertThat(count("SELECT count(*) FROM checkpoints WHERE thread_id = ?", threadOf(config))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM checkpoints WHERE thread_id = ? AND parent_id IS NULL", threadOf(config)))
                .isEqualTo(1);
        assertThat(count("SELECT count(DISTINCT xmin::text) FROM checkpoints WHERE thread_id = ?", threadOf(config)))
                .isEqualTo(1);
        assertThat(keepingLast.get(config).orElseThrow().getState()).isEqualTo(conversation(4));
    }

    @Test
    void returnsTheLatestCheckpointFirstAndKeepsThreadsApart() {
        RunnableConfig first = newThread();
        RunnableConfig second = newThread();
        List<Checkpoint> written = new ArrayList<>();
        for (int step = 1; step <= 4; step++) {
            Checkpoint checkpoint = checkpoint("agent", "agent", conversation(step));
            saver.put(first, checkpoint);
            written.add(checkpoint);
        }
        saver.put(second, checkpoint("other", "__END__", Map.of("messages", List.of(message("other thread")))));

        assertThat(saver.get(first).orElseThrow().getId()).isEqualTo(written.get(3).getId());
        assertThat(saver.get(first).orElseThrow().getState()).isEqualTo(conversation(4));
        assertThat(saver.list(first)).extracting(Checkpoint::getId)
                .containsExactly(written.get(3).getId(), written.get(2).getId(), written.get(1).getId(), written.get(0).getId());
        assertThat(saver.list(first)).extracting(Checkpoint::getState)
                .containsExactly(conversation(4), conversation(3), conversation(2), conversation(1));
        assertThat(saver.get(withCheckpointId(first, written.get(1).getId())).orElseThrow().getState())
                .isEqualTo(conversation(2));
        assertThat(saver.get(withCheckpointId(second, written.get(1).getId()))).isEmpty();
        assertThat(saver.list(second)).hasSize(1);
        assertThat(saver.get(newThread())).isEmpty();
    }

    @Test
    void writesOnlyTheNewMessagesOfEachStep() {
        RunnableConfig config = newThread();
        for (int step = 1; step <= 3; step++) {
            saver.put(config, checkpoint("agent", "agent", conversation(step)));
        }
        String thread = threadOf(config);

        assertThat(count("SELECT count(*) FROM checkpoints WHERE thread_id = ? AND parent_id IS NULL", thread)).isEqualTo(1);
        assertThat(text("SELECT appended::text FROM checkpoints WHERE thread_id = ? ORDER BY id DESC LIMIT 1", thread))
                .isEqualTo("{\"messages\": [{\"role\": \"assistant\", \"content\": \"answer 3\"}]}");
        assertThat(text("SELECT channels::text FROM checkpoints WHERE thread_id = ? ORDER BY id DESC LIMIT 1", thread))
                .isEqualTo("{\"step\": 3}");
    }

    @Test
    void aFreshSaverContinuesAThreadWithAWholeStateRow() {
        RunnableConfig config = newThread();
        saver.put(config, checkpoint("agent", "agent", conversation(1)));
        saver.put(config, checkpoint("agent", "agent", conversation(2)));
        PostgresCheckpointSaver afterRestart = new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false);

        afterRestart.put(config, checkpoint("agent", "agent", conversation(3)));
        afterRestart.put(config, checkpoint("agent", "__END__", conversation(4)));

        assertThat(afterRestart.list(config)).extracting(Checkpoint::getState)
                .containsExactly(conversation(4), conversation(3), conversation(2), conversation(1));
        assertThat(count("SELECT count(*) FROM checkpoints WHERE thread_id = ? AND parent_id IS NULL", threadOf(config)))
                .isEqualTo(2);
    }

    @Test
    void removedChannelsAndReplacedListsFoldCorrectly() {
        RunnableConfig config = newThread();
        saver.put(config, checkpoint("a", "b", Map.of("messages", List.of(message("one"), message("two")), "scratch", "x")));
        saver.put(config, checkpoint("b", "c", Map.of("messages", List.of(message("rewritten")))));

        assertThat(saver.get(config).orElseThrow().getState()).isEqualTo(Map.of("messages", List.of(message("rewritten"))));
    }

    @Test
    void replacingACheckpointKeepsItsSuccessorsIntact() {
        RunnableConfig config = newThread();
        Checkpoint first = checkpoint("agent", "agent", conversation(1));
        saver.put(config, first);
        saver.put(config, checkpoint("agent", "agent", conversation(2)));
        Map<String, Object> edited = Map.of("messages", List.of(message("edited by an operator")), "step", 1);
        Checkpoint replacement = checkpoint("agent", "agent", edited);

        RunnableConfig returned = saver.put(withCheckpointId(config, first.getId()), replacement);

        assertThat(returned.checkPointId()).contains(first.getId());
        assertThat(saver.list(config)).extracting(Checkpoint::getState).containsExactly(conversation(2), edited);
        assertThat(saver.list(config)).extracting(Checkpoint::getId).last().isEqualTo(replacement.getId());
        saver.put(config, checkpoint("agent", "agent", conversation(3)));
        assertThat(saver.get(config).orElseThrow().getState()).isEqualTo(conversation(3));
    }

    @Test
    void releaseDeletesTheThreadAndReturnsItsCheckpoints() throws Exception {
        RunnableConfig config = newThread();
        saver.put(config, checkpoint("agent", "agent", conversation(1)));
        saver.put(config, checkpoint("agent", "__END__", conversation(2)));

        var tag = saver.release(config);

        assertThat(tag.threadId()).isEqualTo(threadOf(config));
        assertThat(tag.checkpoints()).extracting(Checkpoint::getState).containsExactly(conversation(2), conversation(1));
        assertThat(saver.list(config)).isEmpty();
    }

    @Test
    void refusesStateThatIsNotJson() {
        RunnableConfig config = newThread();
        Map<String, Object> state = Map.of("messages", List.of(Map.of("role", "user", "content", new StringBuilder("hi"))));

        assertThatThrownBy(() -> saver.put(config, checkpoint("agent", "agent", state)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messages[0].content")
                .hasMessageContaining("java.lang.StringBuilder");
        assertThat(saver.list(config)).isEmpty();
    }

    @Test
    void dataPostgresRefusesIsABadStateNotAnOutage() {
        RunnableConfig config = newThread();
        Map<String, Object> state = Map.of("messages", List.of(message("binary tool output \u0000 here")));

        assertThatThrownBy(() -> saver.put(config, checkpoint("tools", "agent", state)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad checkpoint data");
    }

    @Test
    void aBrokenDeltaChainIsReportedNotFoldedIntoAWrongState() {
        RunnableConfig config = newThread();
        for (int step = 1; step <= 3; step++) {
            saver.put(config, checkpoint("agent", "agent", conversation(step)));
        }
        CheckpointDatabase.execute("DELETE FROM checkpoints WHERE thread_id = ? AND parent_id IS NULL", threadOf(config));

        assertThatThrownBy(() -> saver.get(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint chain of thread " + threadOf(config) + " is broken");
    }

    @Test
    void postgresDownIsAnInfrastructureFault() {
        PostgresCheckpointSaver down = new PostgresCheckpointSaver(CheckpointDatabase.unreachable(), false);
        RunnableConfig config = newThread();

        assertThatThrownBy(() -> down.put(config, checkpoint("agent", "agent", conversation(1))))
                .isInstanceOfSatisfying(InfrastructureFault.class, fault -> assertThat(fault.dependency()).isEqualTo("postgres"))
                .hasMessageContaining("writing a checkpoint of thread " + threadOf(config));
        assertThatThrownBy(() -> down.get(config)).isInstanceOf(InfrastructureFault.class);
        assertThatThrownBy(() -> down.list(config)).isInstanceOf(InfrastructureFault.class);
        assertThatThrownBy(() -> down.release(config)).isInstanceOf(InfrastructureFault.class);
    }

    /** The database is down: only a read answered from {@link NewThreads} can succeed. */
    @Test
    void aThreadItsClaimFoundEmptyIsReadWithoutAQueryUntilTheSaverWritesIt() {
        NewThreads newThreads = new NewThreads();
        PostgresCheckpointSaver down = new PostgresCheckpointSaver(CheckpointDatabase.unreachable(), false, newThreads);
        RunnableConfig config = newThread();
        newThreads.add(threadOf(config));

        assertThat(down.get(config)).isEmpty();
        assertThat(down.list(config)).isEmpty();
        assertThatThrownBy(() -> down.put(config, checkpoint("agent", "agent", conversation(1))))
                .isInstanceOf(InfrastructureFault.class);
        assertThatThrownBy(() -> down.get(config)).as("once written to, the thread is read from the table")
                .isInstanceOf(InfrastructureFault.class);
    }

    static RunnableConfig newThread() {
        return RunnableConfig.builder().threadId("job-" + UUID.randomUUID()).build();
    }

    static String threadOf(RunnableConfig config) {
        return config.threadId().orElseThrow();
    }

    private static RunnableConfig withCheckpointId(RunnableConfig config, String checkpointId) {
        return RunnableConfig.builder(config).checkPointId(checkpointId).build();
    }

    private static Checkpoint checkpoint(String nodeId, String nextNodeId, Map<String, Object> state) {
        return Checkpoint.builder().nodeId(nodeId).nextNodeId(nextNodeId).state(state).build();
    }

    /** The state after {@code steps} model turns: the question and one answer per turn. */
    private static Map<String, Object> conversation(int steps) {
        List<Object> messages = new ArrayList<>(List.of(Map.of("role", "user", "content", "question")));
        for (int step = 1; step <= steps; step++) {
            messages.add(message("answer " + step));
        }
        return Map.of("messages", messages, "step", steps);
    }

    private static Map<String, Object> message(String content) {
        return Map.of("role", "assistant", "content", content);
    }
}
