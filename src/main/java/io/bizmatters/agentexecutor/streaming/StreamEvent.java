package io.bizmatters.agentexecutor.streaming;

/**
 * One event serialized on the job's thread, still without its {@code seq}: the publisher thread
 * numbers it, since only it knows where the job's replayable stream stands.
 *
 * @param json the event's JSON, beginning with its {@code event_type} member
 */
record StreamEvent(String jobId, StreamEventType type, String json) {
    static final String CHANNEL_PREFIX = "langgraph:stream:";

    String channel() {
        return CHANNEL_PREFIX + jobId;
    }

    String streamKey() {
        return ReplayableStream.key(jobId);
    }

    /** The JSON with {@code "seq"} right after {@code event_type}, as watchers read it on both channels. */
    String numbered(long seq) {
        int afterType = "{\"event_type\":\"".length() + type.wireName().length() + 1;
        return json.substring(0, afterType) + ",\"seq\":" + seq + json.substring(afterType);
    }
}
