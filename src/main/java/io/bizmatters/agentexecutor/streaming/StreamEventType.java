package io.bizmatters.agentexecutor.streaming;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code event_type} values on {@code langgraph:stream:{job_id}} and {@code langgraph:events:{job_id}}
 * (docs/events.md). Each has a kind that tells a watcher what to do with it: a progress event is
 * shown, a leaving event ends this delivery of the job but not the job (it will run again, or
 * waits), and a terminal event ends the job's stream for good. Cancellation (a terminal
 * {@code error} whose status is {@code cancelled}) and a human-approval pause (a leaving
 * {@code interrupt}) fit these kinds without a new rule for readers.
 */
public enum StreamEventType {
    LLM_STREAM("on_llm_stream", Kind.PROGRESS),
    TOOL_START("on_tool_start", Kind.PROGRESS),
    TOOL_END("on_tool_end", Kind.PROGRESS),
    STATE_UPDATE("on_state_update", Kind.PROGRESS),
    RETRY("on_retry", Kind.LEAVING),
    END("end", Kind.TERMINAL),
    ERROR("error", Kind.TERMINAL);

    /** What a watcher does with an event. */
    public enum Kind { PROGRESS, LEAVING, TERMINAL }

    private final String wireName;
    private final Kind kind;

    StreamEventType(String wireName, Kind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<StreamEventType> ofWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }

    /** Tokens are the first to go when the queue overflows: the next state update carries the full text anyway. */
    boolean droppableFirst() {
        return this == LLM_STREAM;
    }

    /** A watcher waits for these; the queue never drops them to make room. */
    public boolean terminal() {
        return kind == Kind.TERMINAL;
    }

    /** After this event the delivery that sent it is gone: its sequence must be read afresh by the next one. */
    boolean leavesDelivery() {
        return kind != Kind.PROGRESS;
    }
}
