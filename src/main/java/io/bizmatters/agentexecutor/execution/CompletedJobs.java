package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.ingress.Deliveries;
import io.bizmatters.agentexecutor.jobs.JobStore;
import org.apache.camel.Exchange;

/**
 * Reports a job that completed: its completed event and its jobs row, which ends the lease.
 * <p>A JetStream delivery that is not its message's last, while its lease is live, publishes first
 * and then records the result and that it is out in one statement: a commit less per job. Should
 * the record fail, the message is redelivered and the redelivery answers from the final
 * checkpoint without a model call, under the same Nats-Msg-Id, so the stream still keeps one
 * result; no other delivery can have taken the job over before its result went out, since the
 * lease was live then (and one that takes it over later finds the final checkpoint too). Should
 * the publish fail, the result is recorded unpublished, as below, and the redelivery republishes it.
 * <p>Otherwise (HTTP, whose caller may not retry; a last delivery, which is not redelivered; a
 * lease that may have run out) the result is recorded first, which checks the lease, then
 * published, then noted as out (docs/operations.md, "Guarantees").
 */
public class CompletedJobs {
    private final ResultEventPublisher results;
    private final JobStore jobs;

    public CompletedJobs(ResultEventPublisher results, JobStore jobs) {
        this.results = results;
        this.jobs = jobs;
    }

    /** @return the completed event's data: the HTTP answer */
    public String report(AgentJob job, AgentOutcome outcome, Exchange exchange) {
        if (Deliveries.cameFromJetStream(exchange) && !Deliveries.isFinalDelivery(exchange) && jobs.leaseLive(job)) {
            String data;
            try {
                data = results.publishCompleted(job, outcome);
            } catch (RuntimeException unconfirmed) {
                // Recorded unpublished, as when the record comes first: the redelivery republishes it without running the job.
                jobs.recordCompleted(job, outcome);
                throw unconfirmed;
            }
            jobs.recordPublishedCompleted(job, outcome);
            return data;
        }
        jobs.recordCompleted(job, outcome);
        String data = results.publishCompleted(job, outcome);
        jobs.markResultPublished(job.jobId());
        return data;
    }
}
