package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.JobLimits;
import io.bizmatters.agentexecutor.agent.Limit;
import io.bizmatters.agentexecutor.failure.LimitExceeded;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A job's limits held against what its whole agent tree spent ({@link AgentUsageBook}). A model
 * call that would go over {@code max_model_calls}, or that a spent token budget leaves no room
 * for, is never started; neither is a tool execution over {@code max_tool_calls}, or a task
 * nested deeper than {@code max_delegation_depth}.
 */
final class Budget {
    private final JobLimits limits;
    /** The name an agent goes by in messages: "orchestrator", or a specialist's name. */
    private final Function<String, String> names;

    Budget(JobLimits limits, Function<String, String> names) {
        this.limits = limits;
        this.names = names;
    }

    /** @param book what the whole job has spent and has at work ({@link JobBook}) */
    void beforeModelCall(Map<String, Object> book) {
        within(Limit.MAX_MODEL_CALLS, book, "model calls", agent -> AgentUsageBook.count(book, agent, AgentUsageBook.MODEL_CALLS));
        within(Limit.MAX_TOTAL_TOKENS, book, "tokens", agent -> AgentUsageBook.tokens(book, agent));
    }

    /**
     * @param delegates true for a {@code task} call that would start a specialist
     * @param depth     how deep the calling agent's delegation nests (0 for the orchestrator)
     */
    void beforeToolCall(Map<String, Object> book, String agentId, boolean delegates, int depth) {
        within(Limit.MAX_TOOL_CALLS, book, "tool calls", agent -> AgentUsageBook.count(book, agent, AgentUsageBook.TOOL_CALLS));
        Long maxDepth = limits.value(Limit.MAX_DELEGATION_DEPTH);
        if (delegates && maxDepth != null && depth + 1 > maxDepth) {
            throw new LimitExceeded(Limit.MAX_DELEGATION_DEPTH.field() + " " + maxDepth + " reached: a task call of "
                    + names.apply(agentId) + " would nest specialists " + (depth + 1) + " deep");
        }
    }

    private void within(Limit limit, Map<String, Object> book, String unit, Function<String, Long> perAgent) {
        Long max = limits.value(limit);
        long spent = AgentUsageBook.total(book, perAgent);
        if (max != null && spent >= max) {
            String breakdown = book.keySet().stream().filter(agent -> perAgent.apply(agent) > 0)
                    .map(agent -> names.apply(agent) + " " + perAgent.apply(agent)).collect(Collectors.joining(", "));
            throw new LimitExceeded(limit.field() + " " + max + " reached: " + spent + " " + unit + " (" + breakdown + ")");
        }
    }
}
