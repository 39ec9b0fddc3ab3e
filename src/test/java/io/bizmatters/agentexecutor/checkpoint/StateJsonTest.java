package io.bizmatters.agentexecutor.checkpoint;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a checkpoint refuses to write, and how it names the place. */
class StateJsonTest {

    @Test
    void jsonShapedStateIsAccepted() {
        Map<String, Object> state = new HashMap<>();
        state.put("messages", List.of(Map.of("role", "user", "content", "hi", "n", 1, "ok", true)));
        state.put("files", Map.of());
        state.put("nothing", null);
        assertThatCode(() -> StateJson.requireJsonCompatible(state)).doesNotThrowAnyException();
    }

    @Test
    void aValueThatIsNotJsonIsNamedByItsPath() {
        Map<String, Object> state = Map.of("messages", List.of(Map.of("role", "user"), Map.of("sent", Instant.EPOCH)));
        assertThatThrownBy(() -> StateJson.requireJsonCompatible(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkpoint state 'messages[1].sent' holds a java.time.Instant;"
                        + " only Map, List, String, Number, Boolean and null can be checkpointed");
    }

    @Test
    void aKeyThatIsNotTextIsNamedByItsMap() {
        Map<String, Object> state = Map.of("files", Map.of("notes", Map.of(7, "seven")));
        assertThatThrownBy(() -> StateJson.requireJsonCompatible(state))
                .hasMessageStartingWith("checkpoint state 'files.notes' holds a key of type java.lang.Integer;");
    }
}
