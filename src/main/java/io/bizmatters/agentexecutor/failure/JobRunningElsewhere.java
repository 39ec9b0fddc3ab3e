package io.bizmatters.agentexecutor.failure;

/**
 * Another delivery holds the job's lease: it is running the job (the same job over HTTP and NATS,
 * or a JetStream redelivery while the first run goes on), or it took the job over after this
 * delivery's lease ran out. This delivery must neither run the job nor publish a result, so that
 * exactly one run reports it: HTTP answers 409 and JetStream naks with a delay, after which the
 * message finds the job finished (its stored result is republished) or its lease expired (the job
 * is taken over from its checkpoint).
 */
public class JobRunningElsewhere extends ClassifiedFailure {
    private final String jobId;

    public JobRunningElsewhere(String jobId, String message) {
        super(message);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.RUNNING_ELSEWHERE;
    }
}
