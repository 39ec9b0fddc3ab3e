package io.bizmatters.agentexecutor.agent.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a delegating agent (the orchestrator, or a specialist that names {@code task}) sees of
 * {@code task(subagent_type, description)}, with the specialists it may call. Running the specialist
 * is the graph's business: each call runs it on a branch thread of its own, every model call and
 * tool step of it checkpointed there, at once with the other calls of the same model turn.
 */
public final class TaskTool {
    public static final String NAME = "task";

    private TaskTool() {
    }

    public static ToolSpecification specification(List<AgentSpec> specialists) {
        String catalogue = specialists.stream()
                .map(s -> "- " + s.name() + ": " + s.description())
                .collect(Collectors.joining("\n"));
        return ToolSpecification.builder().name(NAME)
                .description("Hands a self-contained task to a specialist agent, which works on it with its own "
                        + "tools and returns its final answer. Available specialists:\n" + catalogue)
                .parameters(JsonObjectSchema.builder()
                        .addProperty("subagent_type", JsonEnumSchema.builder()
                                .enumValues(specialists.stream().map(AgentSpec::name).toList())
                                .description("Name of the specialist").build())
                        .addProperty("description", JsonStringSchema.builder()
                                .description("Everything the specialist needs to know to do the task").build())
                        .required("subagent_type", "description").build())
                .build();
    }
}
