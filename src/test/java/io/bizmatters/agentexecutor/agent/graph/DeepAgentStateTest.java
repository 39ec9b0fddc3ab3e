package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.definition.StateKey;
import org.bsc.langgraph4j.state.AgentState;
import org.bsc.langgraph4j.state.Channel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeepAgentStateTest {

    @Test
    void stateSchemaKeysApplyTheirReducers() {
        Map<String, Channel<?>> channels = DeepAgentState.channels(List.of(
                new StateKey("proposed_changes", StateKey.Reducer.APPEND),
                new StateKey("status", StateKey.Reducer.LAST_VALUE),
                new StateKey("messages", StateKey.Reducer.APPEND)));
        Map<String, Object> state = Map.of("proposed_changes", List.of(Map.of("a", 1)), "status", "draft",
                "messages", List.of(Map.of("role", "user", "content", "hi")));

        Map<String, Object> updated = AgentState.updateState(state, Map.of(
                "proposed_changes", List.of(Map.of("b", 2)), "status", "final",
                "messages", List.of(Map.of("role", "user", "content", "replaced"))), channels);

        assertThat(updated.get("proposed_changes")).isEqualTo(List.of(Map.of("a", 1), Map.of("b", 2)));
        assertThat(updated.get("status")).isEqualTo("final");
        // our own keys keep their meaning: a step writes the whole conversation
        assertThat(updated.get("messages")).isEqualTo(List.of(Map.of("role", "user", "content", "replaced")));
    }

    @Test
    void aJoinAppliesWhatEachCallChangedInTheModelsOrderAndNamesTheWriteALaterCallReplaced() {
        DeepAgentState turn = new DeepAgentState(Map.of("messages", List.of(Messages.user("go")),
                "files", Map.of("/kept.md", Map.of("content", List.of("old")))));
        List<Map<String, Object>> calls = List.of(Map.of("id", "a", "name", "task"), Map.of("id", "b", "name", "write_file"),
                Map.of("id", "c", "name", "task"));
        Map<String, Object> first = Map.of("content", List.of("first"));
        Map<String, Object> last = Map.of("content", List.of("last"));

        Map<String, Object> update = TurnJoin.update(turn, "lead", calls, List.of(
                new TurnJoin.Result("A done", Map.of("files", Map.of("/kept.md", Map.of("content", List.of("old")), "/same.md", first)), null),
                new TurnJoin.Result("B done", Map.of(), null),
                new TurnJoin.Result("C done", Map.of("files", Map.of("/same.md", last), "todos", List.of("t")), null)));

        assertThat(update.get("files")).isEqualTo(Map.of("/kept.md", Map.of("content", List.of("old")), "/same.md", last));
        assertThat(update.get("todos")).isEqualTo(List.of("t"));
        assertThat(update.get("steps")).isEqualTo(3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) update.get("messages");
        assertThat(messages).extracting(m -> m.get("tool_call_id")).containsExactly(null, "a", "b", "c");
        assertThat(messages.get(1).get("content")).isEqualTo("A done");
        assertThat(messages.get(3).get("content")).isEqualTo("C done\n\nNote: this call overwrote /same.md, which call a (task)"
                + " of the same turn wrote; this call's version is kept.");
    }
}
