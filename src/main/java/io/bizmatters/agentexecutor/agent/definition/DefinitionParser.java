package io.bizmatters.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.failure.BadInput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an agent_definition as the Python service accepted it. Every rejection is a
 * {@link BadInput} naming the JSON path of the offending field, so the caller can fix it without
 * reading our code.
 */
public final class DefinitionParser {
    private static final String ROOT = "agent_definition";
    private static final Set<String> APPEND_REDUCERS = Set.of("add_messages", "operator.add", "add", "append");

    private DefinitionParser() {
    }

    public static AgentDefinition parse(ObjectNode definition) {
        if (definition == null || definition.isEmpty()) {
            throw new BadInput(ROOT, ROOT + " must be a non-empty object");
        }
        Map<String, DeclaredTool> toolDefinitions = toolDefinitions(definition.get("tool_definitions"));
        JsonNode nodes = definition.get("nodes");
        String nodesPath = ROOT + ".nodes";
        if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
            throw new BadInput(nodesPath, nodesPath + " must be a non-empty array of agent nodes");
        }
        AgentSpec orchestrator = null;
        List<AgentSpec> others = new ArrayList<>();
        Map<String, StateKey> stateSchema = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            String path = nodesPath + "[" + i + "]";
            JsonNode node = object(nodes.get(i), path);
            AgentSpec agent = agent(node, path);
            if (!ids.add(agent.id())) {
                throw new BadInput(path + ".id", path + ".id " + BadInput.quote(agent.id()) + " is used by another node");
            }
            if (!names.add(agent.name())) {
                throw new BadInput(path + ".config.name", path + ".config.name " + BadInput.quote(agent.name())
                        + " is used by another node; task(subagent_type) needs unique names");
            }
            stateSchema(node.path("config").get("state_schema"), path + ".config.state_schema", stateSchema);
            String type = optionalText(node.get("type"), path + ".type", "specialist");
            if ("orchestrator".equals(type.toLowerCase(Locale.ROOT))) {
                if (orchestrator != null) {
                    throw new BadInput(path + ".type", path + ".type: only one node may be the orchestrator");
                }
                orchestrator = agent;
            } else {
                others.add(agent);
            }
        }
        if (orchestrator == null) {
            // The Python service made the first node the entry when no node is typed orchestrator.
            orchestrator = others.removeFirst();
        }
        return new AgentDefinition(orchestrator, List.copyOf(others), toolDefinitions,
                List.copyOf(stateSchema.values()));
    }

    private static AgentSpec agent(JsonNode node, String path) {
        JsonNode config = object(node.get("config"), path + ".config");
        String name = requiredText(config.get("name"), path + ".config.name");
        String id = optionalText(node.get("id"), path + ".id", name);
        return new AgentSpec(id, name,
                optionalText(config.get("description"), path + ".config.description", ""),
                optionalText(config.get("system_prompt"), path + ".config.system_prompt", ""),
                model(config.get("model"), path + ".config.model"),
                tools(config.get("tools"), path + ".config.tools"),
                InterruptOnParser.parse(config.get("interrupt_on"), path + ".config.interrupt_on"));
    }

    private static ModelSpec model(JsonNode node, String path) {
        JsonNode model = object(node, path);
        String provider = requiredText(model.get("provider"), path + ".provider");
        ModelSpec.Provider known;
        try {
            known = ModelSpec.Provider.valueOf(provider.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInput(path + ".provider", path + ".provider " + BadInput.quote(provider)
                    + " is not supported; use openai, anthropic or ollama");
        }
        JsonNode temperature = model.get("temperature");
        if (temperature != null && !temperature.isNull() && !temperature.isNumber()) {
            throw new BadInput(path + ".temperature", path + ".temperature must be a number");
        }
        JsonNode maxTokens = model.get("max_tokens");
        if (maxTokens != null && !maxTokens.isNull() && !maxTokens.canConvertToInt()) {
            throw new BadInput(path + ".max_tokens", path + ".max_tokens must be an integer");
        }
        return new ModelSpec(known, requiredText(model.get("model"), path + ".model"),
                temperature == null || temperature.isNull() ? null : temperature.asDouble(),
                maxTokens == null || maxTokens.isNull() ? null : maxTokens.asInt());
    }

    private static List<String> tools(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new BadInput(path, path + " must be an array of tool names");
        }
        List<String> tools = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            tools.add(requiredText(node.get(i), path + "[" + i + "]"));
        }
        return List.copyOf(tools);
    }

    private static void stateSchema(JsonNode node, String path, Map<String, StateKey> into) {
        if (node == null || node.isNull()) {
            return;
        }
        object(node, path).properties().forEach(entry -> {
            String keyPath = path + "." + entry.getKey();
            JsonNode spec = object(entry.getValue(), keyPath);
            String reducer = optionalText(spec.get("reducer"), keyPath + ".reducer", "");
            StateKey key = new StateKey(entry.getKey(), APPEND_REDUCERS.contains(reducer)
                    ? StateKey.Reducer.APPEND : StateKey.Reducer.LAST_VALUE);
            StateKey earlier = into.putIfAbsent(key.name(), key);
            if (earlier != null && earlier.reducer() != key.reducer()) {
                throw new BadInput(keyPath + ".reducer", keyPath + ".reducer conflicts with the reducer another node gives '"
                        + key.name() + "'");
            }
        });
    }

    private static Map<String, DeclaredTool> toolDefinitions(JsonNode node) {
        String path = ROOT + ".tool_definitions";
        Map<String, DeclaredTool> tools = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return tools;
        }
        if (!node.isArray()) {
            throw new BadInput(path, path + " must be an array");
        }
        for (int i = 0; i < node.size(); i++) {
            String itemPath = path + "[" + i + "]";
            JsonNode tool = object(node.get(i), itemPath);
            String name = requiredText(tool.get("name"), itemPath + ".name");
            JsonNode runtime = tool.get("runtime");
            String script = runtime == null || runtime.isNull() ? null
                    : optionalText(object(runtime, itemPath + ".runtime").get("script"), itemPath + ".runtime.script", null);
            if (tools.putIfAbsent(name, new DeclaredTool(name, script)) != null) {
                throw new BadInput(itemPath + ".name", itemPath + ".name " + BadInput.quote(name) + " is declared twice");
            }
        }
        return tools;
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new BadInput(path, path + " must be an object");
        }
        return node;
    }

    private static String requiredText(JsonNode node, String path) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new BadInput(path, path + " must be a non-blank string");
        }
        return node.asText().strip();
    }

    private static String optionalText(JsonNode node, String path, String fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new BadInput(path, path + " must be a string");
        }
        return node.asText();
    }
}
