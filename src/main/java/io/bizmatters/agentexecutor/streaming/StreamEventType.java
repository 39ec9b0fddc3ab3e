package io.bizmatters.agentexecutor.streaming;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code event_type} values on {@code langgraph:stream:{job_id}} and {@code langgraph:events:{job_id}}
 * (docs/events.md). Each has a kind that tells a watcher what to do with it: a progress event is
 * shown, a leaving event ends this delivery of the job but not the job (it will run again, or
 * waits), and a terminal event ends the job's stream for good. Cancellation (a terminal
 * {@code error} whose status is {@code cancelled}) and a human-approval pause (a leaving
 * {@code interrupt}, after which the job is {@code interrupted} until a resume) fit these kinds
 * without a new rule for readers. A refused resume ({@code resume_rejected}) leaves too: the
 * delivery that refused it ends there, and the job still waits.
 */
public enum StreamEventType {
    LLM_STREAM("on_llm_stream", Kind.PROGRESS),
    TOOL_START("on_tool_start", Kind.PROGRESS),
    TOOL_END("on_tool_end", Kind.PROGRESS),
    STATE_UPDATE("on_state_update", Kind.PROGRESS),
    INTERRUPT("interrupt", Kind.LEAVING),
    DECISION("decision", Kind.PROGRESS),
    RESUME_REJECTED("resume_rejected", Kind.LEAVING),
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

    /** After this a watcher has seen the job's end: its stream is closed for good. */
    public boolean terminal() {
        return kind == Kind.TERMINAL;
    }

    /**
     * A watcher waits for these (a parked job's watcher for its interrupt, an HTTP caller for
     * on_retry); the queue never drops them to make room.
     */
    boolean keptWhenFull() {
        return kind != Kind.PROGRESS;
    }

    /** After this event the delivery that sent it is gone: its sequence must be read afresh by the next one. */
    boolean leavesDelivery() {
        return kind != Kind.PROGRESS;
    }
}
