package io.bizmatters.agentexecutor.agent.tools;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each kind of argument: its value, its fallback when absent, and the model-facing message when mistyped. */
class ToolArgumentsTest {
    private final ToolArguments given = ToolArguments.parse("""
            {"path": "/a.txt", "offset": 3, "all": true, "items": [1, 2], "nothing": null}""");

    @Test
    void readsEachKindAndFallsBackWhenAbsent() {
        assertThat(given.text("path")).isEqualTo("/a.txt");
        assertThat(given.optionalText("missing", "/")).isEqualTo("/");
        assertThat(given.optionalText("nothing", null)).isNull();
        assertThat(given.optionalInt("offset", 0)).isEqualTo(3);
        assertThat(given.optionalInt("missing", 7)).isEqualTo(7);
        assertThat(given.optionalBoolean("all", false)).isTrue();
        assertThat(given.optionalBoolean("missing", false)).isFalse();
        assertThat(given.list("items")).isEqualTo(List.of(1, 2));
    }

    @Test
    void namesTheArgumentAndTheTypeItMustHave() {
        assertThatThrownBy(() -> given.text("offset")).hasMessage("Error: argument 'offset' must be a string");
        assertThatThrownBy(() -> given.text("missing")).hasMessage("Error: argument 'missing' must be a string");
        assertThatThrownBy(() -> given.optionalInt("path", 0)).hasMessage("Error: argument 'path' must be an integer");
        assertThatThrownBy(() -> given.optionalBoolean("offset", false)).hasMessage("Error: argument 'offset' must be true or false");
        assertThatThrownBy(() -> given.list("missing")).hasMessage("Error: argument 'missing' must be an array");
        assertThatThrownBy(() -> given.list("path")).isInstanceOf(ToolArguments.Invalid.class);
    }
}
