package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A deterministic stand-in for an LLM, for the README's local run without any provider key. It
 * walks the deep-agent graph once: an agent that can delegate hands the user's request to its first
 * specialist via {@code task}, and every answer says in its first words that it comes from the
 * offline model. It never runs when a provider key is set ({@link ModelSettings#offlineModelActive()}).
 */
final class OfflineChatModel implements StreamingChatModel {
    static final String PROVIDER = "offline";
    static final String LABEL = "[offline model]";
    private static final String TASK = "task";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        List<ChatMessage> messages = request.messages();
        Optional<String> firstSpecialist = firstSpecialist(request.toolSpecifications());
        boolean delegated = messages.stream().anyMatch(m -> m instanceof ToolExecutionResultMessage r
                && TASK.equals(r.toolName()));
        AiMessage reply;
        if (firstSpecialist.isPresent() && !delegated) {
            String arguments = taskArguments(firstSpecialist.get(), lastUserText(messages));
            reply = AiMessage.from(ToolExecutionRequest.builder()
                    .id("offline-" + UUID.randomUUID()).name(TASK).arguments(arguments).build());
        } else {
            String text = LABEL + " This answer was produced by the offline model, not by an LLM: set a provider "
                    + "key to get real answers. " + (delegated
                    ? "The specialist reported: " + lastToolResult(messages)
                    : "Task received: " + lastUserText(messages));
            for (String word : text.split("(?<= )")) {
                handler.onPartialResponse(word);
            }
            reply = AiMessage.from(text);
        }
        handler.onCompleteResponse(ChatResponse.builder().aiMessage(reply).modelName(PROVIDER)
                .tokenUsage(new TokenUsage(0, 0))
                .finishReason(reply.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
                .build());
    }

    private static Optional<String> firstSpecialist(List<ToolSpecification> tools) {
        return tools == null ? Optional.empty() : tools.stream()
                .filter(t -> TASK.equals(t.name()) && t.parameters() != null)
                .map(t -> t.parameters().properties().get("subagent_type"))
                .filter(JsonEnumSchema.class::isInstance)
                .map(s -> ((JsonEnumSchema) s).enumValues())
                .filter(values -> !values.isEmpty())
                .map(List::getFirst)
                .findFirst();
    }

    private static String lastUserText(List<ChatMessage> messages) {
        return messages.reversed().stream().filter(UserMessage.class::isInstance)
                .map(m -> ((UserMessage) m).singleText()).findFirst().orElse("");
    }

    private static String lastToolResult(List<ChatMessage> messages) {
        return messages.reversed().stream().filter(ToolExecutionResultMessage.class::isInstance)
                .map(m -> ((ToolExecutionResultMessage) m).text()).findFirst().orElse("");
    }

    private static String taskArguments(String specialist, String description) {
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("subagent_type", specialist);
        arguments.put("description", description);
        try {
            return JSON.writeValueAsString(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings always serialize", e);
        }
    }
}
