package io.bizmatters.agentexecutor.failure;

/**
 * How the execution path reported a delivery's failure, left on the exchange (property
 * {@link #PROPERTY}) for the ingress to answer in its own terms: the kind it was answered as (a
 * bad input whose row could not be written is answered as the outage that stopped it), that
 * failure, and the failed event's data when one went out for it.
 *
 * @param failedEvent the failed event's data, or null when none was published for this delivery
 */
public record ReportedFailure(FailureKind kind, Exception failure, String failedEvent) {
    public static final String PROPERTY = "reportedFailure";

    public ReportedFailure {
        if (kind == FailureKind.UNFORESEEN) {
            throw new IllegalArgumentException("a reported failure has been given a kind: an unforeseen one is answered as a fault");
        }
    }

    /** True when the job is to be tried again: an outage, and no failed event ended it. */
    public boolean retried() {
        return kind == FailureKind.INFRASTRUCTURE_FAULT && failedEvent == null;
    }
}
