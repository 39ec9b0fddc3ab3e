package io.bizmatters.agentexecutor.agent.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The join of a fan-out: the state update of the tools step whose calls ran at once. Every call
 * saw the state as it was when the model answered; what each changed is applied in the order of
 * the model's tool calls, so a later call's version of a file (or of the todo list) wins, and its
 * tool result says whose write it replaced. Results go back to the model in that same order, and
 * the specialists' spending joins the caller's books.
 */
final class TurnJoin {
    /**
     * What one call gave.
     *
     * @param changes the {@code files} and {@code todos} as the call left them (absent: untouched)
     * @param branch  a specialist's last state, for what it spent; null for a tool
     */
    record Result(String text, Map<String, Object> changes, DeepAgentState branch) {
        static Result text(String text) {
            return new Result(text, Map.of(), null);
        }
    }

    private TurnJoin() {
    }

    static Map<String, Object> update(DeepAgentState state, String agentId, List<Map<String, Object>> calls,
                                      List<Result> results) {
        Map<String, Object> files = new LinkedHashMap<>(state.files());
        Object todos = state.todos();
        Map<String, String> fileWriters = new HashMap<>();
        String todoWriter = null;
        List<Map<String, Object>> conversation = new ArrayList<>(state.messages());
        Map<String, Object> usage = state.usage();
        Map<String, Object> agentUsage = state.agentUsage();
        int steps = state.steps();
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String callId = String.valueOf(calls.get(i).get("id"));
            String name = String.valueOf(calls.get(i).get("name"));
            String writer = "call " + callId + " (" + name + ")";
            Result result = results.get(i);
            List<String> notes = new ArrayList<>();
            for (Map.Entry<String, Object> file : changedFiles(state.files(), result.changes()).entrySet()) {
                String earlier = fileWriters.put(file.getKey(), writer);
                if (earlier != null) {
                    notes.add("Note: this call overwrote " + file.getKey() + ", which " + earlier
                            + " of the same turn wrote; this call's version is kept.");
                }
                files.put(file.getKey(), file.getValue());
            }
            Object written = result.changes().get(DeepAgentState.TODOS);
            if (written != null && !Objects.equals(written, state.todos())) {
                if (todoWriter != null) {
                    notes.add("Note: this call replaced the todo list, which " + todoWriter
                            + " of the same turn wrote; this call's list is kept.");
                }
                todos = written;
                todoWriter = writer;
            }
            String text = notes.isEmpty() ? result.text() : result.text() + "\n\n" + String.join("\n", notes);
            conversation.add(Messages.toolResult(callId, name, text));
            agentUsage = AgentUsageBook.toolCall(agentUsage, agentId);
            steps++;
            if (result.branch() != null) {
                usage = TokenUsageBook.merge(usage, result.branch().usage());
                agentUsage = AgentUsageBook.merge(agentUsage, result.branch().agentUsage());
                steps += result.branch().steps();
            }
            ran.add(callId);
        }
        Map<String, Object> update = new HashMap<>();
        update.put(DeepAgentState.MESSAGES, conversation);
        update.put(DeepAgentState.FILES, files);
        update.put(DeepAgentState.TODOS, todos);
        update.put(DeepAgentState.USAGE, usage);
        update.put(DeepAgentState.AGENT_USAGE, agentUsage);
        update.put(DeepAgentState.STEPS, steps);
        update.put(DeepAgentState.APPROVED, Approvals.spent(state.approved(), ran));
        return update;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> changedFiles(Map<String, Object> before, Map<String, Object> changes) {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (changes.get(DeepAgentState.FILES) instanceof Map<?, ?> after) {
            ((Map<String, Object>) after).forEach((path, file) -> {
                if (!Objects.equals(before.get(path), file)) {
                    changed.put(path, file);
                }
            });
        }
        return changed;
    }
}
