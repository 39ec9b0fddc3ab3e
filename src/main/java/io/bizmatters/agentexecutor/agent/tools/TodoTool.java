package io.bizmatters.agentexecutor.agent.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code write_todos}: the orchestrator's plan, replaced whole on each call, kept in state {@code todos}. */
public final class TodoTool {
    public static final String TODOS = "todos";
    private static final Set<String> STATUSES = Set.of("pending", "in_progress", "completed");

    private TodoTool() {
    }

    public static BuiltinTool tool() {
        JsonObjectSchema todo = JsonObjectSchema.builder()
                .addProperty("content", JsonStringSchema.builder().description("What to do").build())
                .addProperty("status", JsonEnumSchema.builder().enumValues("pending", "in_progress", "completed").build())
                .required("content", "status").build();
        return new BuiltinTool(ToolSpecification.builder().name("write_todos")
                .description("Replaces the todo list that plans and tracks this job's work.")
                .parameters(JsonObjectSchema.builder()
                        .addProperty("todos", JsonArraySchema.builder().items(todo).build())
                        .required("todos").build())
                .build(), TodoTool::write);
    }

    private static BuiltinTool.Result write(Map<String, Object> state, ToolArguments arguments) {
        List<Object> todos = new ArrayList<>();
        for (Object item : arguments.list("todos")) {
            if (!(item instanceof Map<?, ?> map) || !(map.get("content") instanceof String content)
                    || !STATUSES.contains(String.valueOf(map.get("status")))) {
                throw new ToolArguments.Invalid("Error: each todo needs a string 'content' and a 'status' of "
                        + "pending, in_progress or completed");
            }
            Map<String, Object> todo = new LinkedHashMap<>();
            todo.put("content", content);
            todo.put("status", map.get("status"));
            todos.add(todo);
        }
        return new BuiltinTool.Result("Updated todo list to " + todos, Map.of(TODOS, todos));
    }
}
