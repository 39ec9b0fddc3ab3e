package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.definition.StateKey;
import org.bsc.langgraph4j.state.AgentState;
import org.bsc.langgraph4j.state.Channel;
import org.bsc.langgraph4j.state.Channels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The graph state of one deep-agent job. Only JSON-compatible values live here (maps, lists,
 * strings, numbers, booleans), so a checkpoint is readable JSON:
 * <pre>
 * messages  the conversation of the thread's agent: the orchestrator's on the job's thread, a
 *           specialist's on the branch thread of the task call that started it
 * frames    unused: where older releases kept the specialists at work
 * files     the virtual file system: {path: {content: [lines], created_at, modified_at}}
 * todos     the list write_todos last wrote: [{content, status}]
 * usage     tokens per model: {"provider:model": {provider, model, input_tokens, output_tokens}}
 * steps     model calls and tool executions so far, for the step limit
 * approved  tool calls a person approved (or edited) that have not run yet: {tool_call_id: "approve"|"edit"}
 * agent_usage  what each agent spent, for the job's limits: {"agent id": {model_calls, tool_calls, input_tokens, output_tokens}}
 * </pre>
 * plus one key per state_schema entry of the definition.
 */
public final class DeepAgentState extends AgentState {
    public static final String MESSAGES = "messages";
    public static final String FRAMES = "frames";
    public static final String FILES = "files";
    public static final String TODOS = "todos";
    public static final String USAGE = "usage";
    public static final String STEPS = "steps";
    public static final String APPROVED = "approved";
    public static final String AGENT_USAGE = "agent_usage";
    static final List<String> RESERVED = List.of(MESSAGES, FRAMES, FILES, TODOS, USAGE, STEPS, APPROVED, AGENT_USAGE);

    public DeepAgentState(Map<String, Object> data) {
        super(data);
    }

    /**
     * Our own keys are written whole by the step that changes them (last value wins); state_schema
     * keys with an appending reducer concatenate lists, as LangGraph's add_messages does for dicts
     * without ids. Other state_schema keys need no channel: LangGraph4j keeps the last value.
     */
    static Map<String, Channel<?>> channels(List<StateKey> stateSchema) {
        Map<String, Channel<?>> channels = new HashMap<>();
        channels.put(MESSAGES, lastValue(ArrayList::new));
        channels.put(FRAMES, lastValue(ArrayList::new));
        channels.put(FILES, lastValue(LinkedHashMap::new));
        channels.put(TODOS, lastValue(ArrayList::new));
        channels.put(USAGE, lastValue(LinkedHashMap::new));
        channels.put(STEPS, lastValue(() -> 0));
        channels.put(APPROVED, lastValue(LinkedHashMap::new));
        channels.put(AGENT_USAGE, lastValue(LinkedHashMap::new));
        for (StateKey key : stateSchema) {
            if (key.reducer() == StateKey.Reducer.APPEND && !RESERVED.contains(key.name())) {
                channels.put(key.name(), Channels.<Object>base(DeepAgentState::append, () -> new ArrayList<>()));
            }
        }
        return channels;
    }

    private static Channel<Object> lastValue(Supplier<Object> initial) {
        return Channels.base(initial);
    }

    private static Object append(Object old, Object update) {
        List<Object> joined = old instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
        if (update instanceof List<?> items) {
            joined.addAll(items);
        } else {
            joined.add(update);
        }
        return joined;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> messages() {
        return this.<List<Map<String, Object>>>value(MESSAGES).orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> frames() {
        return this.<List<Map<String, Object>>>value(FRAMES).orElse(List.of());
    }

    public Map<String, Object> files() {
        return this.<Map<String, Object>>value(FILES).orElse(Map.of());
    }

    public List<Object> todos() {
        return this.<List<Object>>value(TODOS).orElse(List.of());
    }

    Map<String, Object> usage() {
        return this.<Map<String, Object>>value(USAGE).orElse(Map.of());
    }

    Map<String, Object> approved() {
        return this.<Map<String, Object>>value(APPROVED).orElse(Map.of());
    }

    Map<String, Object> agentUsage() {
        return this.<Map<String, Object>>value(AGENT_USAGE).orElse(Map.of());
    }

    int steps() {
        return this.<Number>value(STEPS).map(Number::intValue).orElse(0);
    }

    /**
     * True for a state an older release checkpointed while a specialist worked as a frame on a
     * stack; this engine runs specialists on branch threads and cannot continue such a state.
     */
    boolean hasFrames() {
        return !frames().isEmpty();
    }

    /** The agent's final answer: the text of the last assistant message. */
    public String finalAnswer() {
        List<Map<String, Object>> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (Messages.ASSISTANT.equals(Messages.role(messages.get(i)))) {
                return Messages.content(messages.get(i));
            }
        }
        return "";
    }
}
