package io.bizmatters.agentexecutor.control;

import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.jobs.CancelRecords;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a job cancelled while parked (docs/approvals.md): no pod runs it, so the canceller sends
 * what a running job's own delivery would: the stream's {@code error} of type Cancelled and the
 * one failed event; then its checkpoints are pruned like any finished job's.
 */
public class ParkedCancels {
    private static final Logger LOG = LoggerFactory.getLogger(ParkedCancels.class);

    private final CancelRecords records;
    private final ResultEventPublisher publisher;
    private final JobEventPublisher streams;
    private final CheckpointRetention retention;
    private final ExecutorMetrics metrics;

    public ParkedCancels(CancelRecords records, ResultEventPublisher publisher, JobEventPublisher streams,
                         CheckpointRetention retention, ExecutorMetrics metrics) {
        this.records = records;
        this.publisher = publisher;
        this.streams = streams;
        this.retention = retention;
        this.metrics = metrics;
    }

    /**
     * @throws InfrastructureFault when the failed event did not go out: the cancel is retried
     *                             (JetStream redelivers it, an HTTP caller sees 503), and the retry sends it
     */
    void finish(String jobId, CancelRecords.Recorded recorded) {
        LOG.info("Job {} is cancelled while it waited for decisions: {}", jobId, recorded.reason());
        streams.forJob(jobId).error(new Cancelled(recorded.reason()).getMessage(), Cancelled.class.getSimpleName());
        try {
            publisher.publishFailed(jobId, recorded.traceId(), recorded.error());
        } catch (RuntimeException e) {
            throw new InfrastructureFault("nats", "the failed event of cancelled job " + jobId + " did not go out: "
                    + e.getMessage(), e);
        }
        records.published(jobId);
        metrics.jobCancelled();
        try {
            retention.jobFinished(jobId);
        } catch (RuntimeException e) {
            LOG.warn("Could not prune the checkpoints of cancelled job {} (the periodic sweep will): {}", jobId, e.getMessage());
        }
    }
}
