package io.bizmatters.agentexecutor.agent.models;

/**
 * A provider answered 200 but not with a usable stream: a body that is not a stream of JSON events
 * (HTML, plain text, broken NDJSON), no event at all, or a stream that stalled or ran past its
 * deadline. {@link StreamingModelCall} ends the call with a JobFailure naming the provider and this
 * reason, without retrying: the provider accepted the call and then misbehaved, and a retry or a
 * redelivery would wait out the same deadlines again.
 */
final class ModelProtocolError extends RuntimeException {
    ModelProtocolError(String reason) {
        super(reason, null, false, false);
    }
}
