package io.bizmatters.agentexecutor.agent.tools;

import dev.langchain4j.agent.tool.ToolSpecification;

import java.util.Map;

/**
 * A tool that works on the graph state itself (the virtual file system, the todo list): it needs
 * no operator binding and never leaves the process.
 */
public record BuiltinTool(ToolSpecification specification, Action action) {

    public String name() {
        return specification.name();
    }

    /** What the model reads, and the state keys the call changes (empty when it changes nothing). */
    public record Result(String text, Map<String, Object> stateUpdate) {
        static Result text(String text) {
            return new Result(text, Map.of());
        }
    }

    @FunctionalInterface
    public interface Action {
        /**
         * @param state     the current graph state (read only)
         * @param arguments the model's arguments, already parsed
         */
        Result apply(Map<String, Object> state, ToolArguments arguments);
    }
}
