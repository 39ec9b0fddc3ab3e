package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.tools.ToolArguments;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Conversation messages as the graph state keeps them: plain JSON maps
 * ({@code role}, {@code content}, {@code tool_calls}, {@code tool_call_id}, {@code name}), so a
 * checkpoint saver can store them with plain Jackson and an operator can read them. They become
 * langchain4j messages only for the duration of a model call.
 */
final class Messages {
    static final String USER = "user";
    static final String ASSISTANT = "assistant";
    static final String TOOL = "tool";
    static final String SYSTEM = "system";

    private Messages() {
    }

    static Map<String, Object> user(String content) {
        return message(USER, content);
    }

    static Map<String, Object> assistantText(String content) {
        return message(ASSISTANT, content);
    }

    static Map<String, Object> system(String content) {
        return message(SYSTEM, content);
    }

    static Map<String, Object> toolResult(String toolCallId, String toolName, String content) {
        Map<String, Object> message = message(TOOL, content);
        message.put("tool_call_id", toolCallId);
        message.put("name", toolName);
        return message;
    }

    static Map<String, Object> assistant(AiMessage reply) {
        Map<String, Object> message = message(ASSISTANT, reply.text() == null ? "" : reply.text());
        if (reply.hasToolExecutionRequests()) {
            List<Object> calls = new ArrayList<>();
            for (ToolExecutionRequest request : reply.toolExecutionRequests()) {
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("id", idOf(request));
                call.put("name", request.name());
                call.put("arguments", request.arguments() == null || request.arguments().isBlank() ? "{}" : request.arguments());
                calls.add(call);
            }
            message.put("tool_calls", calls);
        }
        return message;
    }

    /**
     * Ollama sends tool calls without ids, but a tool result finds its call by id: calls sharing
     * no id would look answered by the first result, and the rest would never run.
     */
    private static String idOf(ToolExecutionRequest request) {
        return request.id() == null || request.id().isBlank() ? "call_" + UUID.randomUUID() : request.id();
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("content", content);
        return message;
    }

    static String role(Map<String, Object> message) {
        return String.valueOf(message.get("role"));
    }

    static String content(Map<String, Object> message) {
        Object content = message.get("content");
        return content == null ? "" : content.toString();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> toolCalls(Map<String, Object> message) {
        Object calls = message.get("tool_calls");
        return calls instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** The tool calls of the conversation's last assistant message that have no result yet, in order. */
    static List<Map<String, Object>> pendingToolCalls(List<Map<String, Object>> conversation) {
        Set<String> answered = new HashSet<>();
        for (int i = conversation.size() - 1; i >= 0; i--) {
            Map<String, Object> message = conversation.get(i);
            if (TOOL.equals(role(message))) {
                answered.add(String.valueOf(message.get("tool_call_id")));
            } else if (ASSISTANT.equals(role(message))) {
                return toolCalls(message).stream()
                        .filter(call -> !answered.contains(String.valueOf(call.get("id"))))
                        .toList();
            } else {
                return List.of();
            }
        }
        return List.of();
    }

    /**
     * The conversation with the arguments of tool call {@code toolCallId} replaced, in the last
     * assistant message: a reviewer's edit, so the model sees the call that actually ran.
     */
    static List<Map<String, Object>> withArguments(List<Map<String, Object>> conversation, String toolCallId,
                                                   String arguments) {
        List<Map<String, Object>> edited = new ArrayList<>(conversation);
        for (int i = edited.size() - 1; i >= 0; i--) {
            Map<String, Object> message = edited.get(i);
            if (ASSISTANT.equals(role(message))) {
                List<Object> calls = new ArrayList<>();
                for (Map<String, Object> call : toolCalls(message)) {
                    Map<String, Object> copy = new LinkedHashMap<>(call);
                    if (toolCallId.equals(String.valueOf(call.get("id")))) {
                        copy.put("arguments", arguments);
                    }
                    calls.add(copy);
                }
                Map<String, Object> replaced = new LinkedHashMap<>(message);
                replaced.put("tool_calls", calls);
                edited.set(i, replaced);
                return edited;
            }
        }
        return edited;
    }

    /** What the model reads for a call a person rejected: that it did not run, and why if they said. */
    static String rejection(String toolName, String message) {
        String text = "The user rejected this call of " + toolName + "; it did not run.";
        return message == null || message.isBlank() ? text : text + " Their message: " + message;
    }

    /** How many model turns the conversation holds: its assistant messages. */
    static int turns(List<Map<String, Object>> conversation) {
        return (int) conversation.stream().filter(message -> ASSISTANT.equals(role(message))).count();
    }

    /** True when the conversation ends in an assistant answer that calls no tool: the agent is done. */
    static boolean isFinished(List<Map<String, Object>> conversation) {
        if (conversation.isEmpty()) {
            return false;
        }
        Map<String, Object> last = conversation.getLast();
        return ASSISTANT.equals(role(last)) && toolCalls(last).isEmpty();
    }

    static List<ChatMessage> toChatMessages(String systemPrompt, List<Map<String, Object>> conversation) {
        List<ChatMessage> messages = new ArrayList<>();
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            messages.add(SystemMessage.from(systemPrompt));
        }
        for (Map<String, Object> message : conversation) {
            messages.add(toChatMessage(message));
        }
        return messages;
    }

    /**
     * Arguments the model garbled stay in the conversation as the model wrote them (the tool result
     * tells it so), but providers that take arguments as an object refuse a request carrying them,
     * and langchain4j fails building it: they go back as an empty object.
     */
    private static String sendableArguments(Object arguments) {
        String text = String.valueOf(arguments);
        return ToolArguments.isObject(text) ? text : "{}";
    }

    private static ChatMessage toChatMessage(Map<String, Object> message) {
        String content = content(message);
        return switch (role(message)) {
            case ASSISTANT -> {
                List<ToolExecutionRequest> requests = toolCalls(message).stream()
                        .map(call -> ToolExecutionRequest.builder()
                                .id(String.valueOf(call.get("id")))
                                .name(String.valueOf(call.get("name")))
                                .arguments(sendableArguments(call.get("arguments")))
                                .build())
                        .toList();
                yield AiMessage.builder().text(content.isEmpty() && !requests.isEmpty() ? null : content)
                        .toolExecutionRequests(requests).build();
            }
            case TOOL -> ToolExecutionResultMessage.from(String.valueOf(message.get("tool_call_id")),
                    String.valueOf(message.get("name")), content);
            case SYSTEM -> SystemMessage.from(content);
            default -> UserMessage.from(content);
        };
    }
}
