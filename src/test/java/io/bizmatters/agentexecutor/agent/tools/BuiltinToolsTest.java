package io.bizmatters.agentexecutor.agent.tools;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The virtual file system and todo list work on plain state maps in the contract's layout. */
class BuiltinToolsTest {
    private final Map<String, BuiltinTool> tools = new HashMap<>();
    private final Map<String, Object> state = new HashMap<>();

    BuiltinToolsTest() {
        new FileSystemTools(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC)).tools()
                .forEach(t -> tools.put(t.name(), t));
        tools.put("write_todos", TodoTool.tool());
    }

    private String call(String tool, String arguments) {
        BuiltinTool.Result result;
        try {
            result = tools.get(tool).action().apply(state, ToolArguments.parse(arguments));
        } catch (ToolArguments.Invalid e) {
            return e.getMessage();
        }
        state.putAll(result.stateUpdate());
        return result.text();
    }

    @Test
    void writeReadEditAndList() {
        assertThat(call("write_file", "{\"file_path\":\"/a.md\",\"content\":\"one\\ntwo two\"}")).isEqualTo("Created file /a.md");
        assertThat(state.get("files")).isEqualTo(Map.of("/a.md", Map.of("content", List.of("one", "two two"),
                "created_at", "2026-01-02T03:04:05Z", "modified_at", "2026-01-02T03:04:05Z")));
        assertThat(call("write_file", "{\"file_path\":\"/a.md\",\"content\":\"x\"}")).contains("already exists");
        assertThat(call("read_file", "{\"file_path\":\"/a.md\"}")).isEqualTo("     1\tone\n     2\ttwo two");
        assertThat(call("edit_file", "{\"file_path\":\"/a.md\",\"old_string\":\"two\",\"new_string\":\"2\"}"))
                .contains("occurs 2 times");
        assertThat(call("edit_file", "{\"file_path\":\"/a.md\",\"old_string\":\"two\",\"new_string\":\"2\",\"replace_all\":true}"))
                .isEqualTo("Replaced 2 occurrence(s) in /a.md");
        assertThat(call("read_file", "{\"file_path\":\"/a.md\",\"offset\":1}")).isEqualTo("     2\t2 2");
        assertThat(call("ls", "{}")).isEqualTo("/a.md");
        assertThat(call("read_file", "{\"file_path\":\"/missing\"}")).isEqualTo("Error: File '/missing' not found");
        assertThat(call("read_file", "{}")).isEqualTo("Error: argument 'file_path' must be a string");
        assertThat(call("ls", "not json")).startsWith("Error: the tool arguments are not a JSON object");
    }

    @Test
    void writeTodosReplacesTheList() {
        call("write_todos", "{\"todos\":[{\"content\":\"a\",\"status\":\"pending\"}]}");
        call("write_todos", "{\"todos\":[{\"content\":\"b\",\"status\":\"completed\"}]}");

        assertThat(state.get("todos")).isEqualTo(List.of(Map.of("content", "b", "status", "completed")));
        assertThat(call("write_todos", "{\"todos\":[{\"content\":\"c\",\"status\":\"done\"}]}")).contains("pending, in_progress or completed");
    }
}
