package io.bizmatters.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.failure.BadInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a node's {@code config.interrupt_on} as deepagents writes it: a tool name mapped to
 * {@code true} (approve, edit or reject), {@code false} (no approval), or
 * {@code {"allowed_decisions": [...], "description": "..."}}. Whether each name is one of the
 * agent's tools is checked by the engine, which knows the built-ins.
 */
final class InterruptOnParser {
    private static final List<Decision.Type> ALL = List.of(Decision.Type.values());
    private static final String KNOWN = String.join(", ", Arrays.stream(Decision.Type.values()).map(Decision.Type::wireName).toList());

    private InterruptOnParser() {
    }

    static Map<String, InterruptPolicy> parse(JsonNode node, String path) {
        Map<String, InterruptPolicy> policies = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return policies;
        }
        if (!node.isObject()) {
            throw new BadInput(path, path + " must be an object mapping tool names to true, false or {allowed_decisions, description}");
        }
        node.properties().forEach(entry -> {
            String toolPath = path + "." + entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isBoolean()) {
                if (value.asBoolean()) {
                    policies.put(entry.getKey(), new InterruptPolicy(toolPath, ALL, null));
                }
            } else if (value.isObject()) {
                policies.put(entry.getKey(), new InterruptPolicy(toolPath,
                        decisions(value.get("allowed_decisions"), toolPath + ".allowed_decisions"),
                        description(value.get("description"), toolPath + ".description")));
            } else {
                throw new BadInput(toolPath, toolPath + " must be true, false or {allowed_decisions, description}");
            }
        });
        return policies;
    }

    private static List<Decision.Type> decisions(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return ALL;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new BadInput(path, path + " must be a non-empty array of decision types: " + KNOWN);
        }
        List<Decision.Type> types = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String itemPath = path + "[" + i + "]";
            Decision.Type type = Decision.Type.ofWireName(item.isTextual() ? item.asText() : "")
                    .orElseThrow(() -> new BadInput(itemPath, itemPath + " '" + item.asText()
                            + "' is not a decision type; use " + KNOWN));
            if (!types.contains(type)) {
                types.add(type);
            }
        }
        return List.copyOf(types);
    }

    private static String description(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadInput(path, path + " must be a string");
        }
        return node.asText();
    }
}
