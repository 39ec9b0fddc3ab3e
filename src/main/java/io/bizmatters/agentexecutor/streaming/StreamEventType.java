package io.bizmatters.agentexecutor.streaming;

/** The {@code event_type} values on {@code langgraph:stream:{job_id}} (docs/events.md). */
enum StreamEventType {
    LLM_STREAM("on_llm_stream"),
    TOOL_START("on_tool_start"),
    TOOL_END("on_tool_end"),
    STATE_UPDATE("on_state_update"),
    INTERRUPT("interrupt"),
    DECISION("decision"),
    RESUME_REJECTED("resume_rejected"),
    END("end"),
    ERROR("error");

    private final String wireName;

    StreamEventType(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** Tokens are the first to go when the queue overflows: the next state update carries the full text anyway. */
    boolean droppableFirst() {
        return this == LLM_STREAM;
    }

    /** A watcher waits for these (a parked job's watcher for its interrupt); the queue never drops them to make room. */
    boolean keptWhenFull() {
        return this == END || this == ERROR || this == INTERRUPT;
    }
}
