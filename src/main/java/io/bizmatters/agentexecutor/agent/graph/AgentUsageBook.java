package io.bizmatters.agentexecutor.agent.graph;

import dev.langchain4j.model.output.TokenUsage;
import io.bizmatters.agentexecutor.agent.AgentOutcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What each agent of the tree spent, kept in the graph state so that a resumed job keeps counting
 * where it stopped: {@code {"<agent id>": {model_calls, tool_calls, input_tokens, output_tokens}}}.
 * The job's limits are checked against it (docs/job-control.md).
 */
final class AgentUsageBook {
    static final String MODEL_CALLS = "model_calls";
    static final String TOOL_CALLS = "tool_calls";
    static final String INPUT_TOKENS = "input_tokens";
    static final String OUTPUT_TOKENS = "output_tokens";
    private static final List<String> FIELDS = List.of(MODEL_CALLS, TOOL_CALLS, INPUT_TOKENS, OUTPUT_TOKENS);

    private AgentUsageBook() {
    }

    static Map<String, Object> modelCall(Map<String, Object> book, String agentId, TokenUsage usage) {
        return add(book, agentId, Map.of(MODEL_CALLS, 1L,
                INPUT_TOKENS, tokens(usage == null ? null : usage.inputTokenCount()),
                OUTPUT_TOKENS, tokens(usage == null ? null : usage.outputTokenCount())));
    }

    static Map<String, Object> toolCall(Map<String, Object> book, String agentId) {
        return add(book, agentId, Map.of(TOOL_CALLS, 1L));
    }

    /** Both books summed: a branch's spending joining its caller's, or what is at work joining what was spent. */
    static Map<String, Object> merge(Map<String, Object> book, Map<String, Object> other) {
        Map<String, Object> merged = new LinkedHashMap<>(book);
        for (String agentId : other.keySet()) {
            Map<String, Long> spent = new LinkedHashMap<>();
            FIELDS.forEach(field -> spent.put(field, count(other, agentId, field)));
            merged = add(merged, agentId, spent);
        }
        return merged;
    }

    private static Map<String, Object> add(Map<String, Object> book, String agentId, Map<String, Long> spent) {
        Map<String, Object> updated = new LinkedHashMap<>(book);
        Map<String, Object> entry = new LinkedHashMap<>();
        for (String field : FIELDS) {
            entry.put(field, count(book, agentId, field) + spent.getOrDefault(field, 0L));
        }
        updated.put(agentId, entry);
        return updated;
    }

    /** One figure of one agent, 0 when it has spent nothing yet. */
    static long count(Map<String, Object> book, String agentId, String field) {
        return book.get(agentId) instanceof Map<?, ?> entry && entry.get(field) instanceof Number n ? n.longValue() : 0L;
    }

    static long tokens(Map<String, Object> book, String agentId) {
        return count(book, agentId, INPUT_TOKENS) + count(book, agentId, OUTPUT_TOKENS);
    }

    static long total(Map<String, Object> book, Function<String, Long> perAgent) {
        return book.keySet().stream().mapToLong(perAgent::apply).sum();
    }

    /** Per agent, in the order they first spent something. */
    static List<AgentOutcome.AgentUsage> outcome(Map<String, Object> book, Function<String, String> names) {
        return book.keySet().stream().map(agentId -> new AgentOutcome.AgentUsage(agentId, names.apply(agentId),
                count(book, agentId, MODEL_CALLS), count(book, agentId, TOOL_CALLS),
                count(book, agentId, INPUT_TOKENS), count(book, agentId, OUTPUT_TOKENS))).toList();
    }

    private static long tokens(Integer count) {
        return count == null ? 0L : count;
    }
}
