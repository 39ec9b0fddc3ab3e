package io.bizmatters.agentexecutor.watching;

import io.bizmatters.agentexecutor.streaming.StreamEventType;

/** One entry of a job's replayable stream, as a watcher receives it: its seq, event_type and JSON. */
record StoredEvent(long seq, String type, String json) {
    /** After this a watcher has seen the job's end; an unknown type (a newer writer's) is not terminal. */
    boolean terminal() {
        return StreamEventType.ofWireName(type).map(StreamEventType::terminal).orElse(false);
    }
}
