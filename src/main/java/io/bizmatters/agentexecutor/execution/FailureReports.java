package io.bizmatters.agentexecutor.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.cloudevents.CloudEventReader;
import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.Causes;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import io.bizmatters.agentexecutor.failure.ResumeRejected;
import io.bizmatters.agentexecutor.ingress.jetstream.Disposition;
import io.bizmatters.agentexecutor.jobs.JobStore;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The one place that turns a failure into its answers (docs/architecture.md): the HTTP status and
 * body, the JetStream {@link Disposition}, the failed event, the jobs row, the job's stream event
 * for an outage ({@code on_retry}, or {@code error} when it gives up) and the metrics. Called
 * by the route configuration's onException clauses with the caught exception on the exchange.
 */
public class FailureReports {
    /** Exchange property holding the validated job once it has been read. */
    public static final String AGENT_JOB = "agentJob";
    /** Exchange property holding a resume once it has been read (resume-job.camel.yaml). */
    public static final String RESUME_REQUEST = "resumeRequest";

    private static final Logger LOG = LoggerFactory.getLogger(FailureReports.class);

    private final JobStore jobs;
    private final ResultEventPublisher results;
    private final ExecutorMetrics metrics;
    private final ObjectMapper json;
    private final JobEventPublisher streams;

    public FailureReports(JobStore jobs, ResultEventPublisher results, ExecutorMetrics metrics, ObjectMapper json,
                          JobEventPublisher streams) {
        this.jobs = jobs;
        this.results = results;
        this.metrics = metrics;
        this.json = json;
        this.streams = streams;
    }

    /**
     * A resume that cannot apply changed nothing: 400, 404 or 409 naming what is wrong; over
     * JetStream a term, with no failed event (the job did not fail, it still waits). The job's
     * stream and the log tell why, for the sender who cannot read an HTTP answer.
     */
    public void resumeRejected(Exchange exchange) {
        ResumeRejected rejected = caught(exchange, ResumeRejected.class);
        LOG.warn("Rejected a resume of job {}, which is left as it was: {} ({})", rejected.jobId(), rejected.getMessage(),
                rejected.field());
        if (rejected.status() != 404) {
            streams.forJob(rejected.jobId()).resumeRejected(rejected.getMessage(), rejected.field());
        }
        respond(exchange, rejected.status(), json.createObjectNode().put("detail", rejected.getMessage())
                .put("field", rejected.field()).put("job_id", rejected.jobId()).toString());
        Disposition.settle(exchange, Disposition.TERM);
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
            // Only a delivery holding the lease has a row to finish: the claim itself may be what refused the job.
            AgentJob job = exchange.getProperty(AGENT_JOB, AgentJob.class);
            boolean claimed = job != null && jobs.holdsLease(job);
            String traceId = exchange.getProperty(CloudEventReader.READABLE_TRACE_ID, String.class);
            if (claimed) {
                jobs.recordFailed(job, failure);
                metrics.jobFailed(exchange);
                results.publishFailed(jobId, traceId, failure);
            } else if (Disposition.cameFromJetStream(exchange) && !exchange.getProperty(CloudEventReader.CANCEL, false, Boolean.class)) {
                // A malformed cancel names no job whose watchers should hear of it.
                results.publishRejected(jobId, traceId, failure, Disposition.messageIdentity(exchange));
            }
        } catch (JobRunningElsewhere e) {
            answerRunningElsewhere(exchange, e);
            return;
        } catch (RuntimeException e) {
            answerInfrastructureFault(exchange, e);
            return;
        }
        respond(exchange, 400, rejection(failure));
        Disposition.settle(exchange, Disposition.TERM);
    }

    /**
     * The job failed on its own terms: recorded, reported on agent.status.failed, then 200 / ack.
     * A cancelled job is reported the same way, with error.type Cancelled, and its row says cancelled.
     */
    public void jobFailed(Exchange exchange) {
        RuntimeException failure = caught(exchange, RuntimeException.class);
        AgentJob job = exchange.getProperty(AGENT_JOB, AgentJob.class);
        LOG.info("Job {} failed: {}", job.jobId(), failure.getMessage());
        try {
            jobs.recordFailed(job, failure);
            String data = results.publishFailed(job.jobId(), job.traceId(), failure);
            jobs.markResultPublished(job.jobId());
            if (failure instanceof Cancelled) {
                metrics.jobCancelled(exchange);
            } else {
                metrics.jobFailed(exchange);
            }
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
        // A resume not yet taken leaves the job parked: failing it would answer a decision nobody made.
        boolean resumeNotTaken = job == null && exchange.getProperty(RESUME_REQUEST) != null;
        if (Disposition.isFinalDelivery(exchange) && !resumeNotTaken && reportedAsGivenUp(exchange, job, fault)) {
            return;
        }
        if (job != null) {
            jobs.release(job);
            Duration delay = Disposition.retryDelay(exchange);
            streams.forJob(job.jobId()).retrying(String.valueOf(fault.getMessage()), Disposition.deliveryCount(exchange),
                    delay == null ? null : delay.toSeconds());
        }
        answerInfrastructureFault(exchange, fault);
    }

    /**
     * Ends the job as failed while this delivery still holds its lease, so a later delivery of the
     * same job republishes this failure instead of running the job again.
     */
    private boolean reportedAsGivenUp(Exchange exchange, AgentJob job, Exception fault) {
        String jobId = exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class);
        JobFailure gaveUp = JobFailure.unforeseen("gave up after the last delivery: " + unavailable(fault), fault);
        // Without the lease (the claim itself failed) there is no row of ours to finish: report and term.
        if (job != null && jobs.holdsLease(job)) {
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
        if (job != null) {
            streams.forJob(jobId).error(gaveUp.getMessage(), fault.getClass().getSimpleName());
        }
        logFault("Job " + jobId + " failed on its last delivery and is reported failed", fault);
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
        logFault("Job " + exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class)
                + " not processed, will be retried (" + dependency + " failed)", fault);
        respond(exchange, 503, json.createObjectNode().put("detail", unavailable(fault) + "; the job is retried")
                .put("dependency", dependency).toString());
        Disposition.settle(exchange, Disposition.NAK);
    }

    /** GET /jobs/{jobId} with an id no job can have: 400 naming it. */
    public void lookupRejected(Exchange exchange) {
        respond(exchange, 400, rejection(caught(exchange, BadInput.class)));
    }

    /** A 400's body: the reason in one line, the first offending field, and all of them. */
    private String rejection(BadInput failure) {
        ObjectNode body = json.createObjectNode().put("detail", failure.getMessage()).put("field", failure.field());
        failure.fields().forEach(body.putArray("fields")::add);
        return body.toString();
    }

    /** GET /jobs/{jobId} while the jobs table cannot be read: 503 naming PostgreSQL, the details only in the log. */
    public void lookupUnavailable(Exchange exchange) {
        Exception fault = caught(exchange, Exception.class);
        metrics.dbConnectionError();
        LOG.warn("Job lookup failed: {}", fault.getMessage());
        respond(exchange, 503, json.createObjectNode().put("detail", "postgres is unavailable; retry the lookup later")
                .put("dependency", "postgres").toString());
    }

    /** What a caller is told of a fault: the dependency, never its error text (SQL, hosts, class names). */
    private static String unavailable(Exception fault) {
        return fault instanceof InfrastructureFault infrastructure
                ? infrastructure.dependency() + " is unavailable"
                : "an internal error stopped the job";
    }

    /** An outage is expected: one line with its causes. Anything unforeseen keeps its stack trace. */
    private static void logFault(String what, Exception fault) {
        if (fault instanceof InfrastructureFault) {
            LOG.warn("{}: {}", what, Causes.describe(fault));
        } else {
            LOG.error(what, fault);
        }
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
