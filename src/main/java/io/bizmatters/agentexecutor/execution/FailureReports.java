package io.bizmatters.agentexecutor.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.cloudevents.CloudEventReader;
import io.bizmatters.agentexecutor.cloudevents.ResultEventPublisher;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import io.bizmatters.agentexecutor.ingress.jetstream.Disposition;
import io.bizmatters.agentexecutor.jobs.JobStore;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into its answers (docs/architecture.md): the HTTP status and
 * body, the JetStream {@link Disposition}, the failed event, the jobs row and the metrics. Called
 * by the route configuration's onException clauses with the caught exception on the exchange.
 */
public class FailureReports {
    /** Exchange property holding the validated job once it has been read. */
    public static final String AGENT_JOB = "agentJob";

    private static final Logger LOG = LoggerFactory.getLogger(FailureReports.class);

    private final JobStore jobs;
    private final ResultEventPublisher results;
    private final ExecutorMetrics metrics;
    private final ObjectMapper json;

    public FailureReports(JobStore jobs, ResultEventPublisher results, ExecutorMetrics metrics, ObjectMapper json) {
        this.jobs = jobs;
        this.results = results;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * 400 naming the field; over JetStream a failed event, then term: a retry could never succeed.
     * A job the engine rejected after it was claimed also gets its failed event and row over HTTP,
     * so watchers of agent.status.failed learn of it.
     */
    public void badInput(Exchange exchange) {
        BadInput failure = caught(exchange, BadInput.class);
        String jobId = exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class);
        LOG.warn("Rejected job {}: {} ({})", jobId, failure.getMessage(), failure.field());
        try {
            AgentJob claimed = exchange.getProperty(AGENT_JOB, AgentJob.class);
            if (claimed != null) {
                jobs.recordFailed(claimed, failure);
                metrics.jobFailed(exchange);
            }
            String traceId = exchange.getProperty(CloudEventReader.READABLE_TRACE_ID, String.class);
            if (claimed != null) {
                results.publishFailed(jobId, traceId, failure);
            } else if (Disposition.cameFromJetStream(exchange)) {
                results.publishRejected(jobId, traceId, failure, Disposition.messageIdentity(exchange));
            }
        } catch (JobRunningElsewhere e) {
            answerRunningElsewhere(exchange, e);
            return;
        } catch (RuntimeException e) {
            answerInfrastructureFault(exchange, e);
            return;
        }
        respond(exchange, 400, json.createObjectNode().put("detail", failure.getMessage()).put("field", failure.field()).toString());
        Disposition.settle(exchange, Disposition.TERM);
    }

    /** The job failed on its own terms: recorded, reported on agent.status.failed, then 200 / ack. */
    public void jobFailed(Exchange exchange) {
        RuntimeException failure = caught(exchange, RuntimeException.class);
        AgentJob job = exchange.getProperty(AGENT_JOB, AgentJob.class);
        LOG.info("Job {} failed: {}", job.jobId(), failure.getMessage());
        try {
            jobs.recordFailed(job, failure);
            String data = results.publishFailed(job.jobId(), job.traceId(), failure);
            jobs.markResultPublished(job.jobId());
            metrics.jobFailed(exchange);
            respond(exchange, 200, data);
            Disposition.settle(exchange, Disposition.ACK);
        } catch (JobRunningElsewhere e) {
            answerRunningElsewhere(exchange, e);
        } catch (RuntimeException e) {
            answerInfrastructureFault(exchange, e);
        }
    }

    /**
     * A dependency is down, or something unforeseen broke: 503, and JetStream redelivers later. On
     * the message's last delivery the job is reported failed instead (if the failed event can be
     * published), since the server would drop a nak without telling anyone.
     */
    public void infrastructureFault(Exchange exchange) {
        Exception fault = caught(exchange, Exception.class);
        AgentJob job = exchange.getProperty(AGENT_JOB, AgentJob.class);
        if (Disposition.isFinalDelivery(exchange) && reportedAsGivenUp(exchange, job, fault)) {
            return;
        }
        if (job != null) {
            jobs.release(job);
        }
        answerInfrastructureFault(exchange, fault);
    }

    /**
     * Ends the job as failed while this delivery still holds its lease, so a later delivery of the
     * same job republishes this failure instead of running the job again.
     */
    private boolean reportedAsGivenUp(Exchange exchange, AgentJob job, Exception fault) {
        String jobId = exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class);
        JobFailure gaveUp = new JobFailure("gave up after the last delivery: " + fault.getMessage(), fault);
        if (job != null) {
            try {
                jobs.recordFailed(job, gaveUp);
            } catch (JobRunningElsewhere e) {
                answerRunningElsewhere(exchange, e);
                return true;
            } catch (RuntimeException e) {
                // The outage may be PostgreSQL's own: the failed event still goes out, so no caller waits forever.
                LOG.warn("Job {} could not be recorded as failed: {}", jobId, e.getMessage());
            }
        }
        try {
            results.publishFailed(jobId, exchange.getProperty(CloudEventReader.READABLE_TRACE_ID, String.class), gaveUp);
        } catch (RuntimeException e) {
            return false;
        }
        jobs.markResultPublished(jobId);
        LOG.error("Job {} failed on its last delivery and is reported failed", jobId, fault);
        metrics.jobFailed(exchange);
        Disposition.settle(exchange, Disposition.TERM);
        return true;
    }

    /**
     * Another delivery holds the job's lease: this one neither runs the job nor publishes a result.
     * HTTP 409 names the job as running; JetStream naks with a delay, and the redelivery finds the
     * job finished (its stored result is republished) or its lease expired (it takes the job over).
     */
    public void runningElsewhere(Exchange exchange) {
        answerRunningElsewhere(exchange, caught(exchange, JobRunningElsewhere.class));
    }

    private void answerRunningElsewhere(Exchange exchange, JobRunningElsewhere busy) {
        LOG.info("Backing off: {}", busy.getMessage());
        respond(exchange, 409, json.createObjectNode().put("detail", "job " + busy.jobId()
                        + " is already running in another delivery; its result event is published when it finishes")
                .put("job_id", busy.jobId()).put("status", "running").toString());
        Disposition.settle(exchange, Disposition.NAK);
    }

    private void answerInfrastructureFault(Exchange exchange, Exception fault) {
        String dependency = fault instanceof InfrastructureFault infrastructure ? infrastructure.dependency() : "internal";
        if ("postgres".equals(dependency)) {
            metrics.dbConnectionError();
        }
        LOG.error("Job {} not processed, will be retried ({} failed)",
                exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class), dependency, fault);
        respond(exchange, 503, json.createObjectNode().put("detail", String.valueOf(fault.getMessage()))
                .put("dependency", dependency).toString());
        Disposition.settle(exchange, Disposition.NAK);
    }

    private static <T extends Exception> T caught(Exchange exchange, Class<T> type) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, type);
    }

    private static void respond(Exchange exchange, int status, String body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }
}
