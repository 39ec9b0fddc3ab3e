package io.bizmatters.agentexecutor.agent.graph;

import dev.langchain4j.model.output.TokenUsage;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.models.AgentModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token usage per model, kept in the graph state so a resumed job still reports what the calls
 * before the crash consumed.
 */
final class TokenUsageBook {
    private TokenUsageBook() {
    }

    static Map<String, Object> add(Map<String, Object> book, AgentModel model, TokenUsage usage) {
        Map<String, Object> updated = new LinkedHashMap<>(book);
        String key = model.provider() + ":" + model.modelName();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("provider", model.provider());
        entry.put("model", model.modelName());
        entry.put("input_tokens", count(book, key, "input_tokens") + tokens(usage == null ? null : usage.inputTokenCount()));
        entry.put("output_tokens", count(book, key, "output_tokens") + tokens(usage == null ? null : usage.outputTokenCount()));
        updated.put(key, entry);
        return updated;
    }

    /** Both books summed: a branch's tokens joining its caller's. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> book, Map<String, Object> other) {
        Map<String, Object> merged = new LinkedHashMap<>(book);
        other.forEach((key, value) -> {
            Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) value);
            entry.put("input_tokens", count(book, key, "input_tokens") + count(other, key, "input_tokens"));
            entry.put("output_tokens", count(book, key, "output_tokens") + count(other, key, "output_tokens"));
            merged.put(key, entry);
        });
        return merged;
    }

    static List<AgentOutcome.ModelUsage> outcome(Map<String, Object> book) {
        return book.keySet().stream().map(key -> {
            Map<?, ?> entry = (Map<?, ?>) book.get(key);
            return new AgentOutcome.ModelUsage(String.valueOf(entry.get("provider")), String.valueOf(entry.get("model")),
                    count(book, key, "input_tokens"), count(book, key, "output_tokens"));
        }).toList();
    }

    private static long count(Map<String, Object> book, String key, String field) {
        return book.get(key) instanceof Map<?, ?> entry && entry.get(field) instanceof Number n ? n.longValue() : 0L;
    }

    private static long tokens(Integer count) {
        return count == null ? 0L : count;
    }
}
