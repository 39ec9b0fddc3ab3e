package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.definition.ModelSpec;
import io.bizmatters.agentexecutor.agent.definition.StateKey;
import io.bizmatters.agentexecutor.failure.BadInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AgentDefinition DEFINITION = new AgentDefinition(
            new AgentSpec("lead", "Lead", "", "", new ModelSpec(ModelSpec.Provider.OPENAI, "m", null, null), List.of()),
            List.of(), Map.of(), List.of(new StateKey("proposed_changes", StateKey.Reducer.APPEND)));

    @Test
    void readsLangChainStyleMessagesAndStateSchemaKeys() throws Exception {
        Map<String, Object> state = JobInput.initialState((ObjectNode) JSON.readTree("""
                {"messages": [{"role": "system", "content": "be brief"},
                              {"type": "human", "content": [{"type": "text", "text": "build "}, "it"]},
                              {"role": "ai", "content": "ok"}],
                 "proposed_changes": [{"file": "a"}], "ignored": 1}
                """), DEFINITION);

        assertThat(state.get("messages")).isEqualTo(List.of(
                Messages.system("be brief"), Messages.user("build it"), Messages.assistantText("ok")));
        assertThat(state.get("proposed_changes")).isEqualTo(List.of(Map.of("file", "a")));
        assertThat(state).doesNotContainKey("ignored");
    }

    @Test
    void rejectionsNameTheField() throws Exception {
        assertThatThrownBy(() -> JobInput.initialState((ObjectNode) JSON.readTree("{\"messages\": []}"), DEFINITION))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("input_payload.messages"));
        assertThatThrownBy(() -> JobInput.initialState((ObjectNode) JSON.readTree(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"robot\", \"content\": \"b\"}]}"), DEFINITION))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("input_payload.messages[1].role"));
        assertThatThrownBy(() -> JobInput.initialState((ObjectNode) JSON.readTree(
                "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}"), DEFINITION))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("input_payload.messages[0].content"));
    }
}
