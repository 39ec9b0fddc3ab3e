package io.bizmatters.agentexecutor.streaming;

/**
 * How a job's replayable stream is laid out in Dragonfly: key {@code langgraph:events:{job_id}},
 * one entry per event with id {@code <seq>-0} and the fields {@code type} (its event_type) and
 * {@code event} (the JSON a channel watcher receives).
 */
public final class ReplayableStream {
    public static final String KEY_PREFIX = "langgraph:events:";
    public static final String TYPE_FIELD = "type";
    public static final String EVENT_FIELD = "event";

    private ReplayableStream() {
    }

    public static String key(String jobId) {
        return KEY_PREFIX + jobId;
    }
}
