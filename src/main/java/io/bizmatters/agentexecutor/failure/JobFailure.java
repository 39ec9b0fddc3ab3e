package io.bizmatters.agentexecutor.failure;

/**
 * The job ran and failed on its own terms: the model refused, a tool failed, a step limit was hit,
 * a tool or key the definition needs is missing. It is reported on agent.status.failed and the
 * message is acked: a redelivery would fail the same way.
 *
 * <p>A failure classified where it was born is explained by its message, and its failed event
 * carries no stack trace. One that nothing foresaw ({@link #unforeseen}) keeps the trace of its
 * cause, for whoever has to find out what broke.
 */
public class JobFailure extends ClassifiedFailure {
    private final boolean unforeseen;

    public JobFailure(String message) {
        this(message, null, false);
    }

    public JobFailure(String message, Throwable cause) {
        this(message, cause, false);
    }

    private JobFailure(String message, Throwable cause, boolean unforeseen) {
        super(message, cause);
        this.unforeseen = unforeseen;
    }

    /** A failure nothing classified: its stack trace is reported with it. */
    public static JobFailure unforeseen(String message, Throwable cause) {
        return new JobFailure(message, cause, true);
    }

    public boolean isUnforeseen() {
        return unforeseen;
    }

    /**
     * A failure whose message says everything (a cancel, a limit, a deadline): its stack would only
     * show where the service noticed it, so the failed event's stack_trace carries the message alone.
     */
    protected JobFailure(String message, boolean stackless) {
        super(message, null, !stackless);
        this.unforeseen = false;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.JOB_FAILURE;
    }
}
