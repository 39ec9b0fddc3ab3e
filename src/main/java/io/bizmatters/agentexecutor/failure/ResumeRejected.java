package io.bizmatters.agentexecutor.failure;

/**
 * A resume that cannot apply: the job is unknown, is not waiting for decisions, or the decisions
 * do not fit the calls it waits on. The job is left exactly as it was, so this is not the job's
 * failure: HTTP answers {@code status} (400, 404 or 409) and JetStream terminates the message with
 * no failed event, which watchers would take for the job's result (docs/approvals.md).
 */
public class ResumeRejected extends ClassifiedFailure {
    private final int status;
    private final String field;
    private final String jobId;

    public ResumeRejected(int status, String field, String jobId, String message) {
        super(message);
        this.status = status;
        this.field = field;
        this.jobId = jobId;
    }

    /** The HTTP status that answers it. */
    public int status() {
        return status;
    }

    /** The JSON path of what is wrong, e.g. {@code decisions[0].type}. */
    public String field() {
        return field;
    }

    /** The job the resume named, or "unknown". */
    public String jobId() {
        return jobId;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.RESUME_REJECTED;
    }
}
