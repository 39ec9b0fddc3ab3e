package io.bizmatters.agentexecutor.failure;

/**
 * The job ran and failed on its own terms: the model refused, a tool failed, a step limit was hit,
 * a tool or key the definition needs is missing. It is reported on agent.status.failed and the
 * message is acked: a redelivery would fail the same way.
 */
public class JobFailure extends RuntimeException {
    public JobFailure(String message) {
        super(message);
    }

    public JobFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A failure whose message says everything (a cancel, a limit, a deadline): its stack would only
     * show where the service noticed it, so the failed event's stack_trace carries the message alone.
     */
    protected JobFailure(String message, boolean stackless) {
        super(message, null, true, !stackless);
    }
}
