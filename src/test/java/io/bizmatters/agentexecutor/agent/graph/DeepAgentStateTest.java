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
    void aSpecialistFrameStacksOnTheOrchestratorAndPopsIntoItsConversation() {
        DeepAgentState root = new DeepAgentState(Map.of("messages", List.of(Messages.user("go"))));
        DeepAgentState working = new DeepAgentState(AgentState.updateState(root.data(),
                root.withFramePushed("researcher", "call-1", "find facts"), Map.of()));

        assertThat(working.activeAgentId("lead")).isEqualTo("researcher");
        assertThat(working.activeConversation()).containsExactly(Messages.user("find facts"));
        assertThat(working.callerAgentId("lead")).isEqualTo("lead");

        DeepAgentState done = new DeepAgentState(AgentState.updateState(working.data(),
                working.withInnermostFramePopped(Messages.toolResult("call-1", "task", "facts")), Map.of()));

        assertThat(done.frames()).isEmpty();
        assertThat(done.activeAgentId("lead")).isEqualTo("lead");
        assertThat(done.messages()).containsExactly(Messages.user("go"), Messages.toolResult("call-1", "task", "facts"));
    }
}
