package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.cloudevents.ResultEventPublisher;
import io.bizmatters.agentexecutor.ingress.jetstream.Disposition;
import io.bizmatters.agentexecutor.jobs.JobRecord;
import io.bizmatters.agentexecutor.jobs.JobStore;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * A delivery that finds its job finished: one result event per job, and one more for each new
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
        Instant storedAt = Disposition.storedAt(exchange);
        boolean answeredByTheRun = storedAt != null && job.finishedAt() != null && !storedAt.isAfter(job.finishedAt());
        String data;
        if (answeredByTheRun && job.resultPublished()) {
            LOG.info("Job {} already {} and its result is out: acking {}", job.jobId(), job.status(), Disposition.messageIdentity(exchange));
            return null;
        } else if (!job.resultPublished()) {
            LOG.info("Job {} already {}, its result unconfirmed: publishing it again", job.jobId(), job.status());
            data = results.republishJobResult(job);
        } else {
            LOG.info("Job {} already {}: republishing its stored result for a new submission", job.jobId(), job.status());
            data = results.republishFor(job, Disposition.messageIdentity(exchange));
        }
        jobs.markResultPublished(job.jobId());
        return data;
    }
}
