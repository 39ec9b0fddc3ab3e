package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.failure.InterruptExpired;
import io.bizmatters.agentexecutor.jobs.ExpiredInterrupts;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The periodic sweep (routes/interrupt-expiry.camel.yaml) that fails parked jobs nobody decided
 * within AGENT_INTERRUPT_TIMEOUT_SECONDS: type {@code InterruptExpired} in the row, the failed
 * event and the stream's {@code error}; their checkpoints are then pruned like any finished job's.
 */
public class InterruptExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptExpiry.class);

    private final ExpiredInterrupts expired;
    private final ResultEvents events;
    private final ResultEventPublisher publisher;
    private final JobEventPublisher streams;
    private final CheckpointRetention retention;
    private final ExecutorMetrics metrics;
    private final Duration timeout;

    public InterruptExpiry(ExpiredInterrupts expired, ResultEvents events, ResultEventPublisher publisher,
                           JobEventPublisher streams, CheckpointRetention retention, ExecutorMetrics metrics,
                           Duration timeout) {
        this.expired = expired;
        this.events = events;
        this.publisher = publisher;
        this.streams = streams;
        this.retention = retention;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    /** @return the jobs whose failed event went out in this sweep */
    public int sweep() {
        InterruptExpired failure = new InterruptExpired(timeout);
        int published = 0;
        for (ExpiredInterrupts.Expired job : expired.expire(timeout, events.error(failure))) {
            if (!job.again()) {
                LOG.info("Job {} expired after waiting {} s for decisions", job.jobId(), timeout.toSeconds());
                streams.forJob(job.jobId()).error(failure.getMessage(), InterruptExpired.class.getSimpleName());
                metrics.jobExpired();
            }
            try {
                publisher.publishFailed(job.jobId(), job.traceId(), job.error());
                expired.published(job.jobId());
                published++;
            } catch (RuntimeException e) {
                LOG.warn("The failed event of expired job {} did not go out; a later sweep sends it: {}", job.jobId(), e.getMessage());
                continue;
            }
            try {
                retention.jobFinished(job.jobId());
            } catch (RuntimeException e) {
                LOG.warn("Could not prune the checkpoints of expired job {} (the periodic sweep will): {}", job.jobId(), e.getMessage());
            }
        }
        return published;
    }
}
