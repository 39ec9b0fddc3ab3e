package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bsc.langgraph4j.serializer.StateSerializer;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangGraph4j copies the state after every step ({@code CompiledGraph.cloneState}); its default
 * serializer does that by Java serialization, which was a quarter of the engine's CPU. Our state
 * is plain JSON data (maps, lists, strings, numbers, booleans), so a copy is a walk over it, and
 * the byte form, should LangGraph4j ever ask for one, is JSON.
 */
final class JsonStateSerializer extends StateSerializer<DeepAgentState> {
    private static final ObjectMapper JSON = new ObjectMapper();

    JsonStateSerializer() {
        super(DeepAgentState::new);
    }

    @Override
    public DeepAgentState cloneObject(DeepAgentState state) {
        return new DeepAgentState(copy(state.data()));
    }

    @Override
    public void writeData(Map<String, Object> data, ObjectOutput out) throws IOException {
        byte[] json = JSON.writeValueAsBytes(data);
        out.writeInt(json.length);
        out.write(json);
    }

    @Override
    public Map<String, Object> readData(ObjectInput in) throws IOException {
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    /** Strings, numbers and booleans are immutable and shared; maps and lists are copied. */
    static Map<String, Object> copy(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        map.forEach((key, value) -> copy.put(key, copyValue(value)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copy((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copyValue(item)));
            return copy;
        }
        return value;
    }
}
