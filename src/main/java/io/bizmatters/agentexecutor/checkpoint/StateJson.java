package io.bizmatters.agentexecutor.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of graph state. The state contract says every value the graph stores is a Map,
 * List, String, Number, Boolean or null; anything else would come back from the database as a
 * different type, so it is refused before it is written rather than silently changed on resume.
 */
final class StateJson {
    // Sorted keys make equal maps serialize to equal bytes, so unchanged channels are recognised.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final TypeReference<LinkedHashMap<String, Object>> STATE = new TypeReference<>() {
    };

    private StateJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("checkpoint state cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> readState(String json) {
        try {
            return MAPPER.readValue(json, STATE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored checkpoint state is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** Throws, naming the channel and path, when a state value is not JSON-compatible. */
    static void requireJsonCompatible(Map<String, Object> state) {
        state.forEach((channel, value) -> {
            if (!isJsonCompatible(value)) {
                requireJsonCompatible(channel, value);
            }
        });
    }

    /** The check of every checkpoint write: no path is built until something fails it. */
    private static boolean isJsonCompatible(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isJsonCompatible(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isJsonCompatible(item)) {
                    return false;
                }
            }
            return true;
        }
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    /** Finds what {@link #isJsonCompatible} refused, to name its path. */
    private static void requireJsonCompatible(String path, Object value) {
        switch (value) {
            case null -> {
            }
            case String s -> {
            }
            case Number n -> {
            }
            case Boolean b -> {
            }
            case Map<?, ?> map -> map.forEach((key, item) -> {
                if (!(key instanceof String name)) {
                    throw notJson(path, "a key of type " + (key == null ? "null" : key.getClass().getName()));
                }
                requireJsonCompatible(path + "." + name, item);
            });
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    requireJsonCompatible(path + "[" + i + "]", list.get(i));
                }
            }
            default -> throw notJson(path, "a " + value.getClass().getName());
        }
    }

    private static IllegalArgumentException notJson(String path, String what) {
        return new IllegalArgumentException("checkpoint state '" + path + "' holds " + what
                + "; only Map, List, String, Number, Boolean and null can be checkpointed");
    }
}
