package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.Limit;
import io.bizmatters.agentexecutor.checkpoint.NewThreads;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The jobs table: claim a job for a delivery and record how it ended (GET /jobs/{id} reads it, in
 * job-lookup.camel.yaml). A database error becomes an {@link InfrastructureFault}, so the delivery
 * is retried rather than reported as a failed job; data PostgreSQL refuses becomes a {@link BadInput}.
 *
 * <p>A delivery runs a job only while it holds the job's lease (docs/architecture.md, "Delivery
 * semantics"): claiming takes it, {@link #renewLeases()} keeps every lease of this process alive
 * in one statement, and only the holder may record the job as finished, which ends the lease.
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
    static final String COLUMNS = "id, trace_id, status, attempts, result, error, usage, interrupts, result_published_at, "
            + "finished_at, interrupted_at, cancel_reason, "
            + "(extract(epoch FROM deadline_at - now()) * 1000)::bigint AS deadline_in_millis";

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
            RETURNING\s""" + COLUMNS + ", delivery_spans, "
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
            RETURNING\s""" + COLUMNS + ", lease_owner, lease_until, delivery_spans";

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

    /** Also tells which of the jobs were cancelled: a pod that missed a cancel's broadcast stops them now. */
    private static final String RENEW = """
            UPDATE jobs SET lease_until = now() + ? * interval '1 second'
            WHERE id = ANY (?) AND status = 'running' AND lease_owner = ?
            RETURNING id, cancel_reason, cancel_requested_at IS NOT NULL AS cancelled""";

    /**
     * How much of a lease must be left, by this process's clock, to count as live: the database
     * set it from a time after this process measured, and two clocks may drift apart a little.
     */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(2);

    private static final String RESULT_PUBLISHED = "UPDATE jobs SET result_published_at = now() WHERE id = ?";

    private static final String RELEASE = """
            UPDATE jobs SET lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND status = 'running' AND lease_owner = ?""";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final ResultEvents results;
    /** This process in lease_owner: pid@host, plus a random part since a restarted container reuses both. */
    private final String leaseOwner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    /** The leases this process holds, by job id, with the delivery (its job object) that holds each. */
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final NewThreads newThreads;

    /** A lease held by a delivery, and when (System.nanoTime) this process last sent the statement that set it. */
    private record Lease(AgentJob holder, long setFrom) {
        Lease(AgentJob holder) {
            this(holder, System.nanoTime());
        }
    }

    /** A job store whose claims tell no checkpoint saver which threads are new. */
    public JobStore(DataSource dataSource, ObjectMapper json, ResultEvents results) {
        this(dataSource, json, results, new NewThreads());
    }

    /** @param newThreads where a claim that finds the job's thread without checkpoints notes it, for the saver */
    public JobStore(DataSource dataSource, ObjectMapper json, ResultEvents results, NewThreads newThreads) {
        this.dataSource = dataSource;
        this.json = json;
        this.results = results;
        this.newThreads = newThreads;
    }

    /**
     * Takes the job's lease for this delivery, or returns the finished job's record so its stored
     * result is republished.
     *
     * @throws JobRunningElsewhere when another delivery holds a live lease on the job
     */
    public JobRecord claim(AgentJob job) {
        // Reserved before the statement, so that of two deliveries of one job in this process only
        // the first may claim it (even its own lease): the job runs here at most once.
        boolean reserved = leases.putIfAbsent(job.jobId(), new Lease(job)) == null;
        boolean claimed = false;
        String deliverySpan = DeliverySpans.currentSpanId();
        try (Connection c = dataSource.getConnection()) {
            if (reserved) {
                try (PreparedStatement s = c.prepareStatement(CLAIM)) {
                    s.setString(1, job.jobId());
                    s.setString(2, job.traceId());
                    s.setString(3, leaseOwner);
                    s.setLong(4, LEASE.toSeconds());
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
                            return record(rows);
                        }
                    }
                }
            }
            return notClaimed(c, job, deliverySpan);
        } catch (SQLException e) {
            throw fault("claim job " + job.jobId(), e);
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
                JobRecord job = record(rows);
                if (job.isFinished() || job.isParked()) {
                    return job;
                }
                throw new JobRunningElsewhere(jobId, "job " + jobId + " is already running in another delivery (lease held by "
                        + rows.getString("lease_owner") + " until " + rows.getObject("lease_until") + ")");
            }
        }
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
            s.setString(2, text(result));
            s.setString(3, text(error));
            s.setString(4, text(usage));
            s.setBoolean(5, published);
            s.setString(6, job.jobId());
            s.setString(7, leaseOwner);
            finished = s.executeUpdate();
        } catch (SQLException e) {
            throw fault("record job " + job.jobId() + " as " + status.column(), e);
        } finally {
            forget(job);
        }
        if (finished == 0) {
            throw new JobRunningElsewhere(job.jobId(), "job " + job.jobId() + " lost its lease before it was recorded "
                    + status.column() + "; the delivery that took it over reports its result");
        }
    }

    /**
     * Lets go of the job's lease when this delivery leaves the job unfinished (an outage: the
     * message is redelivered), so the redelivery need not wait for the lease to run out. A
     * delivery that holds no lease changes nothing. Should the UPDATE fail, the job is still no
     * longer running here, so a later delivery reaching this process claims it at once (see
     * {@link #claim}); another process waits for the lease to run out.
     */
    public void release(AgentJob job) {
        if (!forget(job)) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RELEASE)) {
            s.setString(1, job.jobId());
            s.setString(2, leaseOwner);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Could not release the lease of job {}; it runs out within {}s: {}", job.jobId(), LEASE.toSeconds(), e.getMessage());
        }
    }

    /**
     * Extends every lease this process holds, in one statement (run every {@link #LEASE_RENEWAL}
     * by job-leases.camel.yaml), and returns the reasons of those jobs that were cancelled meanwhile,
     * by job id. A failure is only logged: the next period tries again.
     */
    public Map<String, String> renewLeases() {
        Map<String, String> cancelled = new HashMap<>();
        if (leases.isEmpty()) {
            return cancelled;
        }
        String[] jobIds = leases.keySet().toArray(String[]::new);
        long sentAt = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RENEW)) {
            s.setLong(1, LEASE.toSeconds());
            s.setArray(2, c.createArrayOf("text", jobIds));
            s.setString(3, leaseOwner);
            // A lease taken over meanwhile is not renewed; its delivery learns so when it finishes.
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    leases.computeIfPresent(rows.getString("id"), (jobId, lease) -> new Lease(lease.holder(), sentAt));
                    if (rows.getBoolean("cancelled")) {
                        cancelled.put(rows.getString("id"), rows.getString("cancel_reason"));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("Could not renew {} job leases (they last {}s): {}", jobIds.length, LEASE.toSeconds(), e.getMessage());
        }
        return cancelled;
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

    /** This process, as lease_owner names it. */
    String leaseOwner() {
        return leaseOwner;
    }

    /** Notes a lease this delivery took outside {@link #claim} (a resume), so it is renewed and released like any other. */
    void hold(AgentJob job) {
        leases.put(job.jobId(), new Lease(job));
    }

    /** True while this delivery holds the job's lease: it claimed the job and has not finished or released it. */
    public boolean holdsLease(AgentJob job) {
        Lease lease = leases.get(job.jobId());
        return lease != null && lease.holder() == job;
    }

    /**
     * True while this delivery holds the job's lease and, by the last claim or renewal this process
     * sent, the lease cannot have run out yet: no other delivery can have taken the job over.
     */
    public boolean leaseLive(AgentJob job) {
        Lease lease = leases.get(job.jobId());
        return lease != null && lease.holder() == job
                && System.nanoTime() - lease.setFrom() < LEASE.minus(LEASE_MARGIN).toNanos();
    }

    /** True when this delivery held the job's lease; another delivery of the same job keeps its own. */
    boolean forget(AgentJob job) {
        AtomicBoolean held = new AtomicBoolean();
        leases.computeIfPresent(job.jobId(), (jobId, lease) -> {
            held.set(lease.holder() == job);
            return lease.holder() == job ? null : lease;
        });
        if (held.get()) {
            newThreads.remove(job.jobId());
        }
        return held.get();
    }

    private static void linkEarlierDeliveries(ResultSet row) throws SQLException {
        java.sql.Array spans = row.getArray("delivery_spans");
        if (spans != null) {
            DeliverySpans.linkEarlier(List.of((String[]) spans.getArray()));
        }
    }

    JobRecord record(ResultSet row) throws SQLException {
        return new JobRecord(row.getString("id"), row.getString("trace_id"),
                JobStatus.fromColumn(row.getString("status")), row.getInt("attempts"),
                tree(row.getString("result")), tree(row.getString("error")), tree(row.getString("usage")),
                tree(row.getString("interrupts")), row.getObject("result_published_at") != null,
                instant(row.getObject("finished_at", OffsetDateTime.class)), instant(row.getObject("interrupted_at", OffsetDateTime.class)),
                row.getString("cancel_reason"),
                row.getObject("deadline_in_millis") == null ? null : Duration.ofMillis(Math.max(0, row.getLong("deadline_in_millis"))));
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    String text(JsonNode node) {
        return node == null ? null : node.toString();
    }

    JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the jobs table holds invalid JSON", e);
        }
    }

    /**
     * SQLSTATE class 22 (data exception: a NUL, an invalid byte sequence, a value out of range) is
     * the job's data, not an outage: a retry would fail again. Its PostgreSQL text is not quoted,
     * since it may carry the value that could not be stored.
     */
    static RuntimeException fault(String action, SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
            LOG.warn("PostgreSQL refused the data to {} (SQLSTATE {})", action, e.getSQLState());
            return new BadInput("data", "the job holds a value PostgreSQL cannot store (SQLSTATE " + e.getSQLState() + ")");
        }
        return new InfrastructureFault("postgres", "PostgreSQL failed to " + action + ": " + e.getMessage(), e);
    }
}
