package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A tool call the model proposed that waits for a person's decision before it runs.
 *
 * @param agent       the definition node id of the agent that proposed it
 * @param arguments   the proposed arguments, as the model sent them (JSON text)
 * @param description what interrupt_on says a reviewer should know; may be null
 */
public record Interrupt(String toolCallId, String agent, String tool, String arguments,
                        List<Decision.Type> allowedDecisions, String description) {

    /**
     * The one JSON form of an interrupt, in the interrupted event, the stream, and the jobs row:
     * {@code {tool_call_id, agent, tool, arguments, allowed_decisions, description}}, with the
     * arguments as JSON when they parse.
     */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode().put("tool_call_id", toolCallId).put("agent", agent).put("tool", tool);
        node.set("arguments", parsedArguments(json));
        ArrayNode allowed = node.putArray("allowed_decisions");
        allowedDecisions.forEach(type -> allowed.add(type.wireName()));
        node.put("description", description);
        return node;
    }

    public static ArrayNode toJson(List<Interrupt> interrupts, ObjectMapper json) {
        ArrayNode array = json.createArrayNode();
        interrupts.forEach(interrupt -> array.add(interrupt.toJson(json)));
        return array;
    }

    private JsonNode parsedArguments(ObjectMapper json) {
        try {
            return json.readTree(arguments);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(arguments);
        }
    }
}
