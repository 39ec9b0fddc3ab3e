package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.checkpoint.NewThreads;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * The jobs table: claim a job for a delivery and record how it ended (GET /jobs/{id} reads it, in
 * job-lookup.camel.yaml). A database error becomes an {@link InfrastructureFault}, so the delivery
 * is retried rather than reported as a failed job; data PostgreSQL refuses becomes a {@link BadInput}.
 *
 * <p>A delivery runs a job only while it holds the job's lease (docs/architecture.md, "Delivery
 * semantics"): claiming takes it, {@link #renewLeases()} keeps every lease of this process alive
 * in one statement, and only the holder may record the job as finished, which ends the lease.
 * The leases are {@link JobLeases}'; the records of how jobs ended are here.
 */
public class JobStore {
    /**
     * How long a lease lasts unrenewed: how soon a killed pod's job can be taken over. Shorter than
     * AckWait less one in-progress period (20 s - 4 s), so the redelivery of a killed pod's message
     * finds the lease already run out instead of backing off (docs/operations.md).
     */
    public static final Duration LEASE = Duration.ofSeconds(12);
    /** A third of {@link #LEASE}: two renewals in a row may fail (a database blip) before a live job loses its lease. */
    public static final Duration LEASE_RENEWAL = LEASE.dividedBy(3);

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    /**
     * Only the lease holder may finish: a delivery whose job was taken over must not overwrite it.
     * The fifth parameter notes the result as published in the same statement, when its publish
     * came first ({@link #recordPublishedCompleted}).
     */
    private static final String FINISH = """
            UPDATE jobs SET status = ?, finished_at = now(), result = ?::jsonb, error = ?::jsonb,
                            usage = COALESCE(?::jsonb, usage), lease_owner = NULL, lease_until = NULL,
                            result_published_at = CASE WHEN ? THEN now() END
            WHERE id = ? AND status = 'running' AND lease_owner = ?""";

    private static final String RESULT_PUBLISHED = "UPDATE jobs SET result_published_at = now() WHERE id = ?";

    private final DataSource dataSource;
    private final ResultEvents results;
    private final JobRows rows;
    private final JobLeases leases;

    /** A job store whose claims tell no checkpoint saver which threads are new. */
    public JobStore(DataSource dataSource, ObjectMapper json, ResultEvents results) {
        this(dataSource, json, results, new NewThreads());
    }

    /** @param newThreads where a claim that finds the job's thread without checkpoints notes it, for the saver */
    public JobStore(DataSource dataSource, ObjectMapper json, ResultEvents results, NewThreads newThreads) {
        this.dataSource = dataSource;
        this.results = results;
        this.rows = new JobRows(json);
        this.leases = new JobLeases(dataSource, rows, newThreads);
    }

    /**
     * Takes the job's lease for this delivery, or returns the finished job's record so its stored
     * result is republished.
     *
     * @throws JobRunningElsewhere when another delivery holds a live lease on the job
     */
    public JobRecord claim(AgentJob job) {
        return leases.claim(job);
    }

    /**
     * Stores the completed event's result object and the token usage, and ends the lease.
     *
     * @throws JobRunningElsewhere when the lease was lost: the delivery that took the job over reports it
     */
    public void recordCompleted(AgentJob job, AgentOutcome outcome) {
        finish(job, JobStatus.COMPLETED, results.result(outcome), null, usage(outcome), false);
    }

    /**
     * {@link #recordCompleted} for a result JetStream already confirmed, noted as published in the
     * same statement. Only while {@link #leaseLive} held before the publish: no other delivery
     * can have taken the job over before its result went out.
     *
     * @throws JobRunningElsewhere when the lease was lost meanwhile
     */
    public void recordPublishedCompleted(AgentJob job, AgentOutcome outcome) {
        finish(job, JobStatus.COMPLETED, results.result(outcome), null, usage(outcome), true);
    }

    /** What the job spent so far, as the jobs row's usage column keeps it. */
    JsonNode usage(AgentOutcome outcome) {
        return results.usage(outcome);
    }

    /**
     * Stores the failed event's error object, and ends the lease. A {@link Cancelled} job's row
     * says {@code cancelled}.
     *
     * @throws JobRunningElsewhere when the lease was lost: the delivery that took the job over reports it
     */
    public void recordFailed(AgentJob job, Throwable failure) {
        finish(job, failure instanceof Cancelled ? JobStatus.CANCELLED : JobStatus.FAILED, null, results.error(failure), null, false);
    }

    private void finish(AgentJob job, JobStatus status, JsonNode result, JsonNode error, JsonNode usage, boolean published) {
        int finished;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(FINISH)) {
            s.setString(1, status.column());
            s.setString(2, rows.text(result));
            s.setString(3, rows.text(error));
            s.setString(4, rows.text(usage));
            s.setBoolean(5, published);
            s.setString(6, job.jobId());
            s.setString(7, leases.owner());
            finished = s.executeUpdate();
        } catch (SQLException e) {
            throw JobRows.fault("record job " + job.jobId() + " as " + status.column(), e);
        } finally {
            leases.forget(job);
        }
        if (finished == 0) {
            throw new JobRunningElsewhere(job.jobId(), "job " + job.jobId() + " lost its lease before it was recorded "
                    + status.column() + "; the delivery that took it over reports its result");
        }
    }

    /**
     * Lets go of the job's lease when this delivery leaves the job unfinished (an outage: the
     * message is redelivered), so the redelivery need not wait for the lease to run out. A
     * delivery that holds no lease changes nothing.
     */
    public void release(AgentJob job) {
        leases.release(job);
    }

    /**
     * Extends every lease this process holds, in one statement (run every {@link #LEASE_RENEWAL}
     * by job-leases.camel.yaml), and returns the reasons of those jobs that were cancelled meanwhile,
     * by job id. A failure is only logged: the next period tries again.
     */
    public Map<String, String> renewLeases() {
        return leases.renew();
    }

    /**
     * Notes that JetStream confirmed the job's result event, so a redelivery of its message acks
     * without a second result. Best effort: the result is out either way, and should the note be
     * lost a redelivery publishes the stored result once more (at least once, never none).
     */
    public void markResultPublished(String jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RESULT_PUBLISHED)) {
            s.setString(1, jobId);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Could not note that the result of job {} was published: {}", jobId, e.getMessage());
        }
    }

    /** True while this delivery holds the job's lease: it claimed the job and has not finished or released it. */
    public boolean holdsLease(AgentJob job) {
        return leases.holds(job);
    }

    /**
     * True while this delivery holds the job's lease and, by the last claim or renewal this process
     * sent, the lease cannot have run out yet: no other delivery can have taken the job over.
     */
    public boolean leaseLive(AgentJob job) {
        return leases.live(job);
    }

    /** The leases of this process, for the statements of this package that take or end one. */
    JobLeases leases() {
        return leases;
    }

    /** How this package's statements read and write rows. */
    JobRows rows() {
        return rows;
    }
}
