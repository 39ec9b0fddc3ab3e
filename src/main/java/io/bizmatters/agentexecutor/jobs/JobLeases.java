package io.bizmatters.agentexecutor.jobs;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.Limit;
import io.bizmatters.agentexecutor.checkpoint.NewThreads;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The job leases of this process (docs/architecture.md, "Delivery semantics"): a claim takes a
 * job's lease for one delivery, {@link #renew()} keeps every lease of this process alive in one
 * statement, and a release or the job's record ({@link JobStore}) ends it. Which leases this
 * process holds is its own book, {@link HeldLeases}. Also notes, for the
 * checkpoint saver, a claimed job whose thread has no checkpoint yet ({@link NewThreads}).
 */
final class JobLeases {
    private static final Logger LOG = LoggerFactory.getLogger(JobLeases.class);

    /**
     * Takes the lease of a new job, of a running one whose lease ran out (its holder crashed or
     * hung), or of one whose lease this process still holds (its release failed; {@link #claim}
     * runs it only for a job no delivery here runs). No row comes back when the job is finished
     * or another process holds a live lease.
     */
    private static final String CLAIM = """
            INSERT INTO jobs (id, trace_id, status, lease_owner, lease_until, deadline_at, delivery_spans)
            VALUES (?, ?, 'running', ?, now() + ? * interval '1 second', now() + ? * interval '1 second',
                    array_remove(ARRAY[?::text], NULL))
            ON CONFLICT (id) DO UPDATE SET
                attempts = jobs.attempts + 1, started_at = now(),
                lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until,
                deadline_at = COALESCE(jobs.deadline_at, EXCLUDED.deadline_at),
                delivery_spans = jobs.delivery_spans || EXCLUDED.delivery_spans
            WHERE jobs.status = 'running' AND (jobs.lease_until IS NULL OR jobs.lease_until < now()
                                               OR jobs.lease_owner = EXCLUDED.lease_owner)
            RETURNING\s""" + JobRows.COLUMNS + ", delivery_spans, "
            + "NOT EXISTS (SELECT 1 FROM checkpoints WHERE checkpoints.thread_id = jobs.id) AS no_checkpoints";

    /**
     * A delivery that did not get the lease still counts as an attempt, and learns the job's state.
     * An upsert, since a second delivery in this process can get here before the first one's claim
     * created the row; the claim then takes the row over (it has no lease). A job cancelled before
     * it arrived gets its trace id now, for its failed event.
     */
    private static final String COUNT_ATTEMPT = """
            INSERT INTO jobs (id, trace_id, status, delivery_spans) VALUES (?, ?, 'running', array_remove(ARRAY[?::text], NULL))
            ON CONFLICT (id) DO UPDATE SET attempts = jobs.attempts + 1, trace_id = COALESCE(jobs.trace_id, EXCLUDED.trace_id),
                                           delivery_spans = jobs.delivery_spans || EXCLUDED.delivery_spans
            RETURNING\s""" + JobRows.COLUMNS + ", lease_owner, lease_until, delivery_spans";

    /** Also tells which of the jobs were cancelled: a pod that missed a cancel's broadcast stops them now. */
    private static final String RENEW = """
            UPDATE jobs SET lease_until = now() + ? * interval '1 second'
            WHERE id = ANY (?) AND status = 'running' AND lease_owner = ?
            RETURNING id, cancel_reason, cancel_requested_at IS NOT NULL AS cancelled""";

    private static final String RELEASE = """
            UPDATE jobs SET lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND status = 'running' AND lease_owner = ?""";

    private final DataSource dataSource;
    private final JobRows jobRows;
    private final NewThreads newThreads;
    /** This process in lease_owner: pid@host, plus a random part since a restarted container reuses both. */
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final HeldLeases held = new HeldLeases();

    JobLeases(DataSource dataSource, JobRows jobRows, NewThreads newThreads) {
        this.dataSource = dataSource;
        this.jobRows = jobRows;
        this.newThreads = newThreads;
    }

    /** See {@link JobStore#claim}. */
    JobRecord claim(AgentJob job) {
        // Reserved before the statement, so that of two deliveries of one job in this process only
        // the first may claim it (even its own lease): the job runs here at most once.
        boolean reserved = held.reserve(job);
        boolean claimed = false;
        String deliverySpan = DeliverySpans.currentSpanId();
        try (Connection c = dataSource.getConnection()) {
            if (reserved) {
                try (PreparedStatement s = c.prepareStatement(CLAIM)) {
                    s.setString(1, job.jobId());
                    s.setString(2, job.traceId());
                    s.setString(3, owner);
                    s.setLong(4, JobStore.LEASE.toSeconds());
                    Long timeout = job.limits().value(Limit.TIMEOUT_SECONDS);
                    if (timeout == null) {
                        s.setNull(5, Types.BIGINT);
                    } else {
                        s.setLong(5, timeout);
                    }
                    s.setString(6, deliverySpan);
                    try (ResultSet rows = s.executeQuery()) {
                        if (rows.next()) {
                            claimed = true;
                            linkEarlierDeliveries(rows);
                            if (rows.getBoolean("no_checkpoints")) {
                                newThreads.add(job.jobId());
                            } else {
                                newThreads.remove(job.jobId());
                            }
                            return jobRows.record(rows);
                        }
                    }
                }
            }
            return notClaimed(c, job, deliverySpan);
        } catch (SQLException e) {
            throw JobRows.fault("claim job " + job.jobId(), e);
        } finally {
            if (reserved && !claimed) {
                forget(job);
            }
        }
    }

    private JobRecord notClaimed(Connection c, AgentJob delivery, String deliverySpan) throws SQLException {
        String jobId = delivery.jobId();
        try (PreparedStatement s = c.prepareStatement(COUNT_ATTEMPT)) {
            s.setString(1, jobId);
            s.setString(2, delivery.traceId());
            s.setString(3, deliverySpan);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                linkEarlierDeliveries(rows);
                JobRecord job = jobRows.record(rows);
                if (job.isFinished() || job.isParked()) {
                    return job;
                }
                throw new JobRunningElsewhere(jobId, "job " + jobId + " is already running in another delivery (lease held by "
                        + rows.getString("lease_owner") + " until " + rows.getObject("lease_until") + ")");
            }
        }
    }

    /**
     * Lets go of the job's lease when this delivery leaves the job unfinished (an outage: the
     * message is redelivered), so the redelivery need not wait for the lease to run out. A
     * delivery that holds no lease changes nothing. Should the UPDATE fail, the job is still no
     * longer running here, so a later delivery reaching this process claims it at once (see
     * {@link #claim}); another process waits for the lease to run out.
     */
    void release(AgentJob job) {
        if (!forget(job)) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RELEASE)) {
            s.setString(1, job.jobId());
            s.setString(2, owner);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Could not release the lease of job {}; it runs out within {}s: {}", job.jobId(), JobStore.LEASE.toSeconds(), e.getMessage());
        }
    }

    /**
     * Extends every lease this process holds, in one statement (run every {@link JobStore#LEASE_RENEWAL}
     * by job-leases.camel.yaml), and returns the reasons of those jobs that were cancelled meanwhile,
     * by job id. A failure is only logged: the next period tries again.
     */
    Map<String, String> renew() {
        Map<String, String> cancelled = new HashMap<>();
        String[] jobIds = held.jobIds();
        if (jobIds.length == 0) {
            return cancelled;
        }
        long sentAt = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RENEW)) {
            s.setLong(1, JobStore.LEASE.toSeconds());
            s.setArray(2, c.createArrayOf("text", jobIds));
            s.setString(3, owner);
            // A lease taken over meanwhile is not renewed; its delivery learns so when it finishes.
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    held.renewed(rows.getString("id"), sentAt);
                    if (rows.getBoolean("cancelled")) {
                        cancelled.put(rows.getString("id"), rows.getString("cancel_reason"));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("Could not renew {} job leases (they last {}s): {}", jobIds.length, JobStore.LEASE.toSeconds(), e.getMessage());
        }
        return cancelled;
    }

    /** This process, as lease_owner names it. */
    String owner() {
        return owner;
    }

    /** Notes a lease this delivery took outside {@link #claim} (a resume), so it is renewed and released like any other. */
    void hold(AgentJob job) {
        held.hold(job);
    }

    /** True while this delivery holds the job's lease: it claimed the job and has not finished or released it. */
    boolean holds(AgentJob job) {
        return held.holds(job);
    }

    /**
     * True while this delivery holds the job's lease and, by the last claim or renewal this process
     * sent, the lease cannot have run out yet: no other delivery can have taken the job over.
     */
    boolean live(AgentJob job) {
        return held.live(job);
    }

    /** True when this delivery held the job's lease; another delivery of the same job keeps its own. */
    boolean forget(AgentJob job) {
        boolean wasHeld = held.forget(job);
        if (wasHeld) {
            newThreads.remove(job.jobId());
        }
        return wasHeld;
    }

    private static void linkEarlierDeliveries(ResultSet row) throws SQLException {
        java.sql.Array spans = row.getArray("delivery_spans");
        if (spans != null) {
            DeliverySpans.linkEarlier(List.of((String[]) spans.getArray()));
        }
    }
}
