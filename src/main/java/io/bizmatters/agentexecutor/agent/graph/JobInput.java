package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.definition.StateKey;
import io.bizmatters.agentexecutor.failure.BadInput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns input_payload into the graph's first state: {@code messages} as LangChain clients send
 * them (roles user/human, assistant/ai, system; content a string or a list of text parts), plus any
 * state_schema key the payload carries. Earlier tool calls in the input are not replayed: a history
 * arrives as its text.
 */
final class JobInput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "input_payload.messages";

    private JobInput() {
    }

    static Map<String, Object> initialState(ObjectNode payload, AgentDefinition definition) {
        JsonNode messages = payload == null ? null : payload.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadInput(ROOT, ROOT + " must be a non-empty array of {role, content} messages");
        }
        List<Map<String, Object>> conversation = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(message(messages.get(i), ROOT + "[" + i + "]"));
        }
        Map<String, Object> state = new HashMap<>();
        state.put(DeepAgentState.MESSAGES, conversation);
        for (StateKey key : definition.stateSchema()) {
            JsonNode value = payload.get(key.name());
            if (value != null && !value.isNull() && !DeepAgentState.RESERVED.contains(key.name())) {
                state.put(key.name(), JSON.convertValue(value, Object.class));
            }
        }
        return state;
    }

    private static Map<String, Object> message(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new BadInput(path, path + " must be an object with role and content");
        }
        String role = node.path("role").asText(node.path("type").asText("")).toLowerCase(Locale.ROOT);
        String content = content(node.get("content"), path + ".content");
        return switch (role) {
            case "user", "human" -> Messages.user(content);
            case "system" -> Messages.system(content);
            case "assistant", "ai" -> Messages.assistantText(content);
            default -> throw new BadInput(path + ".role", path + ".role must be user, assistant or system, got " + BadInput.quote(role));
        };
    }

    private static String content(JsonNode content, String path) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.isTextual() ? part.asText() : part.path("text").asText("")));
            return text.toString();
        }
        throw new BadInput(path, path + " must be a string or a list of text parts");
    }
}
