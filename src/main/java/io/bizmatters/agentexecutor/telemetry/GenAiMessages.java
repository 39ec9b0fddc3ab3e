package io.bizmatters.agentexecutor.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.List;

/**
 * Prompt and completion as the GenAI conventions' {@code gen_ai.input.messages} and
 * {@code gen_ai.output.messages} JSON: {@code [{"role", "parts": [{"type", ...}]}]}.
 */
final class GenAiMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GenAiMessages() {
    }

    static String input(List<ChatMessage> messages) {
        ArrayNode all = JSON.createArrayNode();
        for (ChatMessage message : messages) {
            switch (message) {
                case SystemMessage system -> text(all.addObject().put("role", "system"), system.text());
                case UserMessage user -> text(all.addObject().put("role", "user"),
                        user.hasSingleText() ? user.singleText() : user.contents().toString());
                case AiMessage ai -> assistant(all.addObject(), ai);
                case ToolExecutionResultMessage result -> all.addObject().put("role", "tool").putArray("parts").addObject()
                        .put("type", "tool_call_response").put("id", result.id()).put("response", result.text());
                default -> text(all.addObject().put("role", "user"), message.toString());
            }
        }
        return all.toString();
    }

    static String output(AiMessage message) {
        ArrayNode all = JSON.createArrayNode();
        assistant(all.addObject(), message);
        return all.toString();
    }

    private static void assistant(ObjectNode node, AiMessage message) {
        node.put("role", "assistant");
        ArrayNode parts = node.putArray("parts");
        if (message.text() != null) {
            parts.addObject().put("type", "text").put("content", message.text());
        }
        for (ToolExecutionRequest call : message.toolExecutionRequests()) {
            parts.addObject().put("type", "tool_call").put("id", call.id()).put("name", call.name())
                    .put("arguments", call.arguments());
        }
    }

    private static void text(ObjectNode node, String content) {
        node.putArray("parts").addObject().put("type", "text").put("content", content);
    }
}
