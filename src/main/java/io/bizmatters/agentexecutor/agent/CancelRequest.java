package io.bizmatters.agentexecutor.agent;

/**
 * A request to cancel a job ({@code dev.my-platform.agent.cancel} CloudEvent, or
 * {@code DELETE /jobs/{jobId}}). The reason becomes the cancelled job's {@code error.message}.
 */
public record CancelRequest(String jobId, String reason) {
    /** The message of a job cancelled without a reason. */
    public static final String NO_REASON = "cancelled (no reason given)";

    public CancelRequest {
        reason = reason == null || reason.isBlank() ? NO_REASON : reason.strip();
    }
}
