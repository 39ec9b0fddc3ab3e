package io.bizmatters.agentexecutor.streaming;

import java.nio.charset.StandardCharsets;

/**
 * One event serialized (to UTF-8) on the job's thread, still without its {@code seq}: the publisher
 * thread numbers it, since only it knows where the job's replayable stream stands.
 *
 * @param json the event's JSON, beginning with its {@code event_type} member
 */
record StreamEvent(String jobId, StreamEventType type, byte[] json) {
    static final String CHANNEL_PREFIX = "langgraph:stream:";

    String channel() {
        return CHANNEL_PREFIX + jobId;
    }

    String streamKey() {
        return ReplayableStream.key(jobId);
    }

    /** Bytes of JSON, which the queue's memory bound counts. */
    int size() {
        return json.length;
    }

    /** The JSON with {@code "seq"} right after {@code event_type}, as watchers read it on both channels. */
    byte[] numbered(long seq) {
        int afterType = "{\"event_type\":\"".length() + type.wireName().length() + 1;
        byte[] member = (",\"seq\":" + seq).getBytes(StandardCharsets.US_ASCII);
        byte[] numbered = new byte[json.length + member.length];
        System.arraycopy(json, 0, numbered, 0, afterType);
        System.arraycopy(member, 0, numbered, afterType, member.length);
        System.arraycopy(json, afterType, numbered, afterType + member.length, json.length - afterType);
        return numbered;
    }
}
