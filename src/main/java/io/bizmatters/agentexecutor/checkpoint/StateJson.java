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
            Refusal refusal = refusal(value);
            if (refusal != null) {
                throw notJson(channel + refusal.path(), refusal.what());
            }
        });
    }

    /**
     * Null when the value is JSON-compatible, else what it holds and where. Every checkpoint write
     * walks the whole state, so the path is built only on the way back from a refusal.
     */
    private static Refusal refusal(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String name)) {
                    Object key = entry.getKey();
                    return new Refusal("", "a key of type " + (key == null ? "null" : key.getClass().getName()));
                }
                Refusal inner = refusal(entry.getValue());
                if (inner != null) {
                    return inner.under("." + name);
                }
            }
            return null;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Refusal inner = refusal(list.get(i));
                if (inner != null) {
                    return inner.under("[" + i + "]");
                }
            }
            return null;
        }
        boolean scalar = value == null || value instanceof String || value instanceof Number || value instanceof Boolean;
        return scalar ? null : new Refusal("", "a " + value.getClass().getName());
    }

    /** A value that cannot be checkpointed: its path below the channel, and what it holds. */
    private record Refusal(String path, String what) {
        Refusal under(String step) {
            return new Refusal(step + path, what);
        }
    }

    private static IllegalArgumentException notJson(String path, String what) {
        return new IllegalArgumentException("checkpoint state '" + path + "' holds " + what
                + "; only Map, List, String, Number, Boolean and null can be checkpointed");
    }
}
