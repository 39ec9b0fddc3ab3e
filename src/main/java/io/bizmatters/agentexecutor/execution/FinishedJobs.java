package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.ingress.Deliveries;
import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.jobs.JobRecord;
import io.bizmatters.agentexecutor.jobs.JobStore;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * A delivery that finds its job settled (finished, or parked waiting for decisions): one result
 * event per job, one interrupted event per parking, and one more for each new
 * submission of a finished job (docs/architecture.md, "Delivery semantics"). What decides is the
 * message, not its delivery count: nats-server can redeliver a message with delivery count 1
 * after a crash rolled its consumer state back, even one whose ack it had confirmed.
 * <ul>
 *   <li>A JetStream message stored before the job finished is answered by the job's own result: a
 *       redelivery, or a duplicate that backed off while the job ran. Is the result confirmed,
 *       it is only acked; else the stored result goes out as the job's own (same Nats-Msg-Id).</li>
 *   <li>An HTTP request, or a message stored after the job finished, is a new submission: the
 *       stored result is republished for it, under an id of its own (the same on every delivery
 *       of that message).</li>
 * </ul>
 * A parked job counts from when it last parked, and its stored event is its interrupted event
 * (HTTP 202, as when it parked).
 */
public class FinishedJobs {
    private static final Logger LOG = LoggerFactory.getLogger(FinishedJobs.class);

    private final ResultEventPublisher results;
    private final JobStore jobs;

    public FinishedJobs(ResultEventPublisher results, JobStore jobs) {
        this.results = results;
        this.jobs = jobs;
    }

    /** @return the result event's data: the HTTP answer */
    public String answer(JobRecord job, Exchange exchange) {
        Instant storedAt = Deliveries.storedAt(exchange);
        Instant settledAt = job.settledAt();
        boolean answeredByTheRun = storedAt != null && settledAt != null && !storedAt.isAfter(settledAt);
        String data;
        if (answeredByTheRun && job.resultPublished()) {
            LOG.info("Job {} already {} and its result is out: acking {}", job.jobId(), job.status(), Deliveries.messageIdentity(exchange));
            return null;
        } else if (!job.resultPublished()) {
            LOG.info("Job {} already {}, its result unconfirmed: publishing it again", job.jobId(), job.status());
            data = results.republishJobResult(job);
        } else {
            LOG.info("Job {} already {}: republishing its stored result for a new submission", job.jobId(), job.status());
            data = results.republishFor(job, Deliveries.messageIdentity(exchange));
        }
        jobs.markResultPublished(job.jobId());
        if (job.isParked()) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        }
        return data;
    }
}
