package io.bizmatters.agentexecutor.failure;

/**
 * What kind of failure stopped a delivery, decided by the failure's own type where it is thrown
 * ({@link ClassifiedFailure#kind()}). Each ingress maps the kind to its own answer (an HTTP
 * status, a JetStream ack, nak or term); nothing else tells the kinds apart.
 */
public enum FailureKind {
    /** The request is wrong; a retry can never help ({@link BadInput}). */
    BAD_INPUT(true),
    /** The job ran and failed on its own terms, or was cancelled or timed out ({@link JobFailure}). */
    JOB_FAILURE(true),
    /** A dependency is down; the job is retried from its last checkpoint ({@link InfrastructureFault}). */
    INFRASTRUCTURE_FAULT(false),
    /** Another delivery holds the job's lease; this one backs off ({@link JobRunningElsewhere}). */
    RUNNING_ELSEWHERE(false),
    /** A resume that cannot apply; the job is left as it was ({@link ResumeRejected}). */
    RESUME_REJECTED(false),
    /** Nothing classified it: a bug or a library's surprise. Whoever catches it decides (docs/architecture.md). */
    UNFORESEEN(false);

    private final boolean endsTheJob;

    FailureKind(boolean endsTheJob) {
        this.endsTheJob = endsTheJob;
    }

    /** True when the job is over: it gets its failed event and is never run again. */
    public boolean endsTheJob() {
        return endsTheJob;
    }

    /** The kind of {@code failure}: its own, or {@link #UNFORESEEN} for an exception none of ours. */
    public static FailureKind of(Throwable failure) {
        return failure instanceof ClassifiedFailure classified ? classified.kind() : UNFORESEEN;
    }
}
