package io.bizmatters.agentexecutor.failure;

/**
 * The job was cancelled (over NATS or {@code DELETE /jobs/{id}}). It is terminal like a failed job
 * and reported the same way, on agent.status.failed with {@code error.type} "Cancelled" and the
 * reason as the message, so callers that know only completed and failed keep working; its row says
 * {@code cancelled}.
 */
public class Cancelled extends JobFailure {
    public Cancelled(String reason) {
        super(reason, true);
    }
}
