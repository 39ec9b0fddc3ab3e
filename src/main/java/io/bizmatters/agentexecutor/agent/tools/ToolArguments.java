package io.bizmatters.agentexecutor.agent.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * A model's tool arguments. A missing or mistyped argument is the model's mistake, not the job's:
 * it surfaces as {@link Invalid}, whose message goes back to the model as the tool result.
 */
public final class ToolArguments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Object> values;

    private ToolArguments(Map<String, Object> values) {
        this.values = values;
    }

    public static ToolArguments parse(String json) {
        if (json == null || json.isBlank()) {
            return new ToolArguments(Map.of());
        }
        try {
            return new ToolArguments(JSON.readValue(json, new TypeReference<Map<String, Object>>() {
            }));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Invalid("Error: the tool arguments are not a JSON object: " + e.getOriginalMessage());
        }
    }

    /** True for blank arguments (no parameters) and for a JSON object; false for anything the model garbled. */
    public static boolean isObject(String json) {
        if (json == null || json.isBlank()) {
            return true;
        }
        try {
            return JSON.readTree(json).isObject();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    public String text(String name) {
        Object value = values.get(name);
        if (!(value instanceof String text)) {
            throw new Invalid("Error: argument '" + name + "' must be a string");
        }
        return text;
    }

    public String optionalText(String name, String fallback) {
        return values.get(name) == null ? fallback : text(name);
    }

    public int optionalInt(String name, int fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new Invalid("Error: argument '" + name + "' must be an integer");
        }
        return number.intValue();
    }

    public boolean optionalBoolean(String name, boolean fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean flag)) {
            throw new Invalid("Error: argument '" + name + "' must be true or false");
        }
        return flag;
    }

    public List<?> list(String name) {
        if (!(values.get(name) instanceof List<?> list)) {
            throw new Invalid("Error: argument '" + name + "' must be an array");
        }
        return list;
    }

    /** The model called a tool wrongly; the message is the tool result it gets to read. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
