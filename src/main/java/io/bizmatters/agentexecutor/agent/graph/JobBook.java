package io.bizmatters.agentexecutor.agent.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of a job has spent, live, across all its threads: each thread's counts as of its
 * last step ({@code agent_usage} and {@code steps} of its state), plus the steps at work right now.
 * A branch's counts are its own until its caller's join adds them to the caller's state, when its
 * entry goes. The job's limits and its step limit are held against the sum, and a step takes its
 * place in the sum in the same lock as its check, so branches at work together never overshoot.
 */
final class JobBook {
    /** The counts an agent's step adds while it is at work. */
    record Reservation(String agentId, boolean modelCall) {
    }

    /** Decides whether a step may start, from what the job has spent and has at work. */
    @FunctionalInterface
    interface Check {
        void allow(Map<String, Object> agentUsage, int steps);
    }

    private record Spent(Map<String, Object> agentUsage, int steps) {
    }

    private final Map<String, Spent> threads = new LinkedHashMap<>();
    private final Map<Reservation, Integer> atWork = new LinkedHashMap<>();

    /** A thread starts or resumes with the counts its checkpoint holds. */
    synchronized void track(String threadId, DeepAgentState state) {
        threads.put(threadId, new Spent(state.agentUsage(), state.steps()));
    }

    synchronized Reservation reserve(String agentId, boolean modelCall, Check check) {
        Reservation reservation = new Reservation(agentId, modelCall);
        check.allow(agentUsage(), steps());
        atWork.merge(reservation, 1, Integer::sum);
        return reservation;
    }

    /** The step failed or was stopped: it spent nothing the state will hold. */
    synchronized void release(Reservation reservation) {
        atWork.computeIfPresent(reservation, (r, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Steps are done and the thread's state update holds what they spent: its new counts replace
     * their reservations, and the branches it joined leave the book, their counts now in its own.
     */
    synchronized void done(List<Reservation> reservations, String threadId, Map<String, Object> agentUsage, int steps,
                           List<String> joined) {
        reservations.forEach(this::release);
        joined.forEach(threads::remove);
        threads.put(threadId, new Spent(agentUsage, steps));
    }

    private Map<String, Object> agentUsage() {
        Map<String, Object> total = new LinkedHashMap<>();
        for (Spent spent : threads.values()) {
            total = AgentUsageBook.merge(total, spent.agentUsage());
        }
        for (Map.Entry<Reservation, Integer> step : atWork.entrySet()) {
            for (int i = 0; i < step.getValue(); i++) {
                total = step.getKey().modelCall()
                        ? AgentUsageBook.modelCall(total, step.getKey().agentId(), null)
                        : AgentUsageBook.toolCall(total, step.getKey().agentId());
            }
        }
        return total;
    }

    private int steps() {
        return threads.values().stream().mapToInt(Spent::steps).sum()
                + atWork.values().stream().mapToInt(Integer::intValue).sum();
    }
}
