package io.bizmatters.agentexecutor.streaming;

/** One message ready for {@code PUBLISH channel json}, serialized on the job's thread. */
record StreamEvent(String channel, StreamEventType type, String json) {
}
