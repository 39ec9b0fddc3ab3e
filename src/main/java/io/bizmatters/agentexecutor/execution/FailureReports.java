package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.cloudevents.CloudEventReader;
import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.Causes;
import io.bizmatters.agentexecutor.failure.FailureKind;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import io.bizmatters.agentexecutor.failure.ReportedFailure;
import io.bizmatters.agentexecutor.failure.ResumeRejected;
import io.bizmatters.agentexecutor.ingress.Deliveries;
import io.bizmatters.agentexecutor.jobs.JobStore;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The one place that reports a delivery's failure (docs/architecture.md): the failed event, the
 * jobs row, the job's stream event for an outage ({@code on_retry}, or {@code error} when it gives
 * up) and the metrics. Called by the route configuration's onException clauses with the caught
 * exception on the exchange; it leaves a {@link ReportedFailure} there, which each ingress answers
 * in its own terms (an HTTP status and body, a JetStream ack, nak or term).
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
    private final JobEventPublisher streams;

    public FailureReports(JobStore jobs, ResultEventPublisher results, ExecutorMetrics metrics, JobEventPublisher streams) {
        this.jobs = jobs;
        this.results = results;
        this.metrics = metrics;
        this.streams = streams;
    }

    /**
     * A resume that cannot apply changed nothing: no failed event (the job did not fail, it still
     * waits). The job's stream and the log tell why, for the sender who cannot read an HTTP answer.
     */
    public void resumeRejected(Exchange exchange) {
        ResumeRejected rejected = caught(exchange, ResumeRejected.class);
        LOG.warn("Rejected a resume of job {}, which is left as it was: {} ({})", rejected.jobId(), rejected.getMessage(),
                rejected.field());
        if (rejected.status() != 404) {
            streams.forJob(rejected.jobId()).resumeRejected(rejected.getMessage(), rejected.field());
        }
        reported(exchange, FailureKind.RESUME_REJECTED, rejected, null);
    }

    /**
     * Over JetStream a failed event, as nobody reads an answer there; a retry could never succeed.
     * A job the engine rejected after it was claimed also gets its failed event and row over HTTP,
     * so watchers of agent.status.failed learn of it.
     */
    public void badInput(Exchange exchange) {
        BadInput failure = caught(exchange, BadInput.class);
        String jobId = exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class);
        LOG.warn("Rejected job {}: {} ({})", jobId, failure.getMessage(), failure.field());
        String data = null;
        try {
            // Only a delivery holding the lease has a row to finish: the claim itself may be what refused the job.
            AgentJob job = exchange.getProperty(AGENT_JOB, AgentJob.class);
            boolean claimed = job != null && jobs.holdsLease(job);
            String traceId = exchange.getProperty(CloudEventReader.READABLE_TRACE_ID, String.class);
            if (claimed) {
                jobs.recordFailed(job, failure);
                metrics.jobFailed(exchange);
                data = results.publishFailed(jobId, traceId, failure);
            } else if (Deliveries.cameFromJetStream(exchange) && !exchange.getProperty(CloudEventReader.CANCEL, false, Boolean.class)) {
                // A malformed cancel names no job whose watchers should hear of it.
                data = results.publishRejected(jobId, traceId, failure, Deliveries.messageIdentity(exchange));
            }
        } catch (JobRunningElsewhere e) {
            reportRunningElsewhere(exchange, e);
            return;
        } catch (RuntimeException e) {
            reportInfrastructureFault(exchange, e);
            return;
        }
        reported(exchange, FailureKind.BAD_INPUT, failure, data);
    }

    /**
     * The job failed on its own terms: recorded, then reported on agent.status.failed.
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
            reported(exchange, FailureKind.JOB_FAILURE, failure, data);
        } catch (JobRunningElsewhere e) {
            reportRunningElsewhere(exchange, e);
        } catch (RuntimeException e) {
            reportInfrastructureFault(exchange, e);
        }
    }

    /**
     * A dependency is down, or something unforeseen broke: the job is retried. On the message's
     * last delivery the job is reported failed instead (if the failed event can be published),
     * since the server would drop the message without telling anyone.
     */
    public void infrastructureFault(Exchange exchange) {
        Exception fault = caught(exchange, Exception.class);
        AgentJob job = exchange.getProperty(AGENT_JOB, AgentJob.class);
        // A resume not yet taken leaves the job parked: failing it would answer a decision nobody made.
        boolean resumeNotTaken = job == null && exchange.getProperty(RESUME_REQUEST) != null;
        if (Deliveries.isFinalDelivery(exchange) && !resumeNotTaken && reportedAsGivenUp(exchange, job, fault)) {
            return;
        }
        if (job != null) {
            jobs.release(job);
            Duration delay = Deliveries.retryDelay(exchange);
            streams.forJob(job.jobId()).retrying(String.valueOf(fault.getMessage()), Deliveries.deliveryCount(exchange),
                    delay == null ? null : delay.toSeconds());
        }
        reportInfrastructureFault(exchange, fault);
    }

    /**
     * Ends the job as failed while this delivery still holds its lease, so a later delivery of the
     * same job republishes this failure instead of running the job again.
     */
    private boolean reportedAsGivenUp(Exchange exchange, AgentJob job, Exception fault) {
        String jobId = exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class);
        JobFailure gaveUp = JobFailure.unforeseen("gave up after the last delivery: " + Causes.unavailable(fault), fault);
        // Without the lease (the claim itself failed) there is no row of ours to finish: only the event goes out.
        if (job != null && jobs.holdsLease(job)) {
            try {
                jobs.recordFailed(job, gaveUp);
            } catch (JobRunningElsewhere e) {
                reportRunningElsewhere(exchange, e);
                return true;
            } catch (RuntimeException e) {
                // The outage may be PostgreSQL's own: the failed event still goes out, so no caller waits forever.
                LOG.warn("Job {} could not be recorded as failed: {}", jobId, e.getMessage());
            }
        }
        String data;
        try {
            data = results.publishFailed(jobId, exchange.getProperty(CloudEventReader.READABLE_TRACE_ID, String.class), gaveUp);
        } catch (RuntimeException e) {
            return false;
        }
        jobs.markResultPublished(jobId);
        if (job != null) {
            streams.forJob(jobId).error(gaveUp.getMessage(), fault.getClass().getSimpleName());
        }
        logFault("Job " + jobId + " failed on its last delivery and is reported failed", fault);
        metrics.jobFailed(exchange);
        reported(exchange, FailureKind.INFRASTRUCTURE_FAULT, fault, data);
        return true;
    }

    /**
     * Another delivery holds the job's lease: this one neither runs the job nor publishes a result.
     * A redelivery finds the job finished (its stored result is republished) or its lease expired
     * (it takes the job over).
     */
    public void runningElsewhere(Exchange exchange) {
        reportRunningElsewhere(exchange, caught(exchange, JobRunningElsewhere.class));
    }

    private void reportRunningElsewhere(Exchange exchange, JobRunningElsewhere busy) {
        LOG.info("Backing off: {}", busy.getMessage());
        reported(exchange, FailureKind.RUNNING_ELSEWHERE, busy, null);
    }

    private void reportInfrastructureFault(Exchange exchange, Exception fault) {
        String dependency = InfrastructureFault.dependencyOf(fault);
        if ("postgres".equals(dependency)) {
            metrics.dbConnectionError();
        }
        logFault("Job " + exchange.getProperty(CloudEventReader.READABLE_JOB_ID, String.class)
                + " not processed, will be retried (" + dependency + " failed)", fault);
        reported(exchange, FailureKind.INFRASTRUCTURE_FAULT, fault, null);
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

    private static void reported(Exchange exchange, FailureKind kind, Exception failure, String failedEvent) {
        exchange.setProperty(ReportedFailure.PROPERTY, new ReportedFailure(kind, failure, failedEvent));
    }
}
