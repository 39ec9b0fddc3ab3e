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
        return typed(name, String.class, null, "a string");
    }

    public String optionalText(String name, String fallback) {
        return values.get(name) == null ? fallback : text(name);
    }

    public int optionalInt(String name, int fallback) {
        return typed(name, Number.class, fallback, "an integer").intValue();
    }

    public boolean optionalBoolean(String name, boolean fallback) {
        return typed(name, Boolean.class, fallback, "true or false");
    }

    public List<?> list(String name) {
        return typed(name, List.class, null, "an array");
    }

    /** The argument as {@code type}; absent, the fallback, or without one the model's mistake, as is any other type. */
    private <T> T typed(String name, Class<T> type, T fallback, String must) {
        Object value = values.get(name);
        if (value == null && fallback != null) {
            return fallback;
        }
        if (!type.isInstance(value)) {
            throw new Invalid("Error: argument '" + name + "' must be " + must);
        }
        return type.cast(value);
    }

    /** The model called a tool wrongly; the message is the tool result it gets to read. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
