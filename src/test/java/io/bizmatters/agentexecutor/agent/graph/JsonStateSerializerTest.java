package io.bizmatters.agentexecutor.agent.graph;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStateSerializerTest {
    private final JsonStateSerializer serializer = new JsonStateSerializer();

    private static Map<String, Object> state() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", "hello");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(DeepAgentState.MESSAGES, new ArrayList<>(List.of(message)));
        data.put(DeepAgentState.STEPS, 3);
        data.put("flag", true);
        return data;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCloneSharesNoMapOrListWithTheOriginal() {
        Map<String, Object> original = state();
        DeepAgentState clone = serializer.cloneObject(new DeepAgentState(original));

        assertThat(clone.data()).isEqualTo(original);
        ((List<Object>) clone.data().get(DeepAgentState.MESSAGES)).add(Map.of("role", "assistant"));
        ((Map<String, Object>) ((List<Object>) clone.data().get(DeepAgentState.MESSAGES)).getFirst()).put("content", "changed");

        assertThat((List<Object>) original.get(DeepAgentState.MESSAGES)).hasSize(1);
        assertThat(((List<Map<String, Object>>) original.get(DeepAgentState.MESSAGES)).getFirst()).containsEntry("content", "hello");
    }

    @Test
    void theByteFormIsJsonThatReadsBackEqual() throws Exception {
        Map<String, Object> original = state();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            serializer.writeData(original, out);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(serializer.readData(in)).isEqualTo(original);
        }
    }
}
