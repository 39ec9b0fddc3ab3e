package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.JobLimits;
import io.bizmatters.agentexecutor.agent.ResumeRequest;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import io.bizmatters.agentexecutor.failure.ResumeRejected;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs that wait for a person's decisions (docs/approvals.md): parking a job, resuming it, and the
 * rows behind both. A parked job holds no lease and no pod; a resume takes the row back to
 * {@code running} in one compare-and-set on its status, so of two racing resumes exactly one wins,
 * and its decisions are in the row before the job continues.
 */
public class ParkedJobs {
    /** Only the lease holder parks the job, as only it may finish it. */
    private static final String PARK = """
            UPDATE jobs SET status = 'interrupted', interrupts = ?::jsonb, agent_definition = ?::jsonb, limits = ?::jsonb,
                            usage = COALESCE(?::jsonb, usage), interrupted_at = now(), result_published_at = NULL,
                            lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND status = 'running' AND lease_owner = ?
            RETURNING interrupted_at""";

    private static final String READ = """
            SELECT trace_id, status, interrupts, decisions, agent_definition, limits, interrupted_at
            FROM jobs WHERE id = ?""";

    /**
     * The compare-and-set: still parked, and on the same interrupt the decisions were checked
     * against. The deadline moves on by the time parked, so waiting for a person does not count
     * against timeout_seconds (docs/job-control.md).
     */
    private static final String RESUME = """
            UPDATE jobs SET status = 'running', decisions = ?::jsonb, resumed_at = now(), started_at = now(),
                            attempts = attempts + 1,
                            parked_seconds = parked_seconds + EXTRACT(EPOCH FROM now() - interrupted_at),
                            deadline_at = deadline_at + (now() - interrupted_at),
                            lease_owner = ?, lease_until = now() + ? * interval '1 second', result_published_at = NULL
            WHERE id = ? AND status = 'interrupted' AND interrupted_at = ?
            RETURNING\s""" + JobRows.COLUMNS;

    /** A resume delivered again after the pod running it died: it takes the job over once the lease ran out. */
    private static final String TAKE_OVER = """
            UPDATE jobs SET attempts = attempts + 1, started_at = now(),
                            lease_owner = ?, lease_until = now() + ? * interval '1 second'
            WHERE id = ? AND status = 'running' AND (lease_until IS NULL OR lease_until < now())
            RETURNING\s""" + JobRows.COLUMNS;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final JobStore jobs;

    public ParkedJobs(DataSource dataSource, ObjectMapper json, JobStore jobs) {
        this.dataSource = dataSource;
        this.json = json;
        this.jobs = jobs;
    }

    /**
     * Records the job as waiting on the outcome's calls and lets go of its lease. The definition is
     * kept, since a resume brings only decisions.
     *
     * @return when it parked: what tells this parking's interrupted event from another's
     * @throws JobRunningElsewhere when the lease was lost: the delivery that took the job over reports it
     */
    public Instant recordInterrupted(AgentJob job, AgentOutcome outcome) {
        Instant parkedAt = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(PARK)) {
            s.setString(1, Interrupt.toJson(outcome.interrupts(), json).toString());
            s.setString(2, job.agentDefinition().toString());
            s.setString(3, json.valueToTree(job.limits().byField()).toString());
            s.setString(4, jobs.rows().text(jobs.usage(outcome)));
            s.setString(5, job.jobId());
            s.setString(6, jobs.leases().owner());
            try (ResultSet row = s.executeQuery()) {
                if (row.next()) {
                    parkedAt = JobRows.instant(row.getObject("interrupted_at", OffsetDateTime.class));
                }
            }
        } catch (SQLException e) {
            throw JobRows.fault("record job " + job.jobId() + " as interrupted", e);
        } finally {
            jobs.leases().forget(job);
        }
        if (parkedAt == null) {
            throw new JobRunningElsewhere(job.jobId(), "job " + job.jobId() + " lost its lease before it was recorded "
                    + "interrupted; the delivery that took it over reports it");
        }
        return parkedAt;
    }

    /**
     * Takes the resume: the job to run with its decisions (this delivery now holds its lease), or a
     * duplicate of a resume already taken, which changes nothing.
     *
     * @throws ResumeRejected      when the resume cannot apply; the job is left as it was
     * @throws JobRunningElsewhere when a duplicate arrives while the resumed job runs in another delivery
     */
    public Resumption resume(ResumeRequest request) {
        ObjectNode asked = DecisionCheck.toJson(request.decisions(), json);
        try (Connection c = dataSource.getConnection()) {
            Parked row = read(c, request.jobId());
            if (row.status == JobStatus.INTERRUPTED) {
                Optional<ResumeRejected> problem = DecisionCheck.problem(request.jobId(), row.interrupts, request);
                if (problem.isEmpty()) {
                    Optional<JobRecord> resumed = update(c, RESUME, asked.toString(), jobs.leases().owner(), JobStore.LEASE.toSeconds(),
                            request.jobId(), row.interruptedAt);
                    if (resumed.isPresent()) {
                        return running(request.jobId(), row, asked, resumed.get());
                    }
                    row = read(c, request.jobId()); // another resume (or the expiry) won the race
                } else if (!asked.equals(row.decisions)) {
                    throw problem.get();
                }
            }
            if (asked.equals(row.decisions)) {
                return duplicate(c, request.jobId(), row);
            }
            throw new ResumeRejected(409, "job_id", request.jobId(), "job " + request.jobId() + " is " + row.status.column()
                    + ", not waiting for decisions" + (row.decisions == null ? "" : " (it was resumed with other decisions)")
                    + "; nothing was changed");
        } catch (SQLException e) {
            throw JobRows.fault("resume job " + request.jobId(), e);
        }
    }

    private Resumption duplicate(Connection c, String jobId, Parked row) throws SQLException {
        if (row.status != JobStatus.RUNNING) {
            return new Resumption(null, jobId, row.status.column());
        }
        Optional<JobRecord> taken = update(c, TAKE_OVER, jobs.leases().owner(), JobStore.LEASE.toSeconds(), jobId);
        if (taken.isPresent()) {
            return running(jobId, row, row.decisions, taken.get());
        }
        throw new JobRunningElsewhere(jobId, "job " + jobId + " was resumed with these decisions and runs in another delivery");
    }

    private Resumption running(String jobId, Parked row, JsonNode decisions, JobRecord claimed) {
        AgentJob job = new AgentJob(jobId, row.traceId, (ObjectNode) row.definition, json.createObjectNode(),
                limits(row.limits), DecisionCheck.fromJson(decisions));
        jobs.leases().hold(job);
        return new Resumption(job, jobId, JobStatus.RUNNING.column(), claimed);
    }

    /** Rows parked before job control kept limits have none. */
    private JobLimits limits(JsonNode stored) {
        return stored == null ? JobLimits.NONE : JobLimits.fromFields(json.convertValue(stored, new TypeReference<Map<String, Long>>() { }));
    }

    private Parked read(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(READ)) {
            s.setString(1, jobId);
            try (ResultSet row = s.executeQuery()) {
                if (!row.next()) {
                    throw new ResumeRejected(404, "job_id", jobId, "no job " + jobId + " is known");
                }
                return new Parked(row.getString("trace_id"), JobStatus.fromColumn(row.getString("status")),
                        jobs.rows().tree(row.getString("interrupts")), jobs.rows().tree(row.getString("decisions")),
                        jobs.rows().tree(row.getString("agent_definition")), jobs.rows().tree(row.getString("limits")),
                        row.getObject("interrupted_at", OffsetDateTime.class));
            }
        }
    }

    /** The job's row as the update left it, if the update applied. */
    private Optional<JobRecord> update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(jobs.rows().record(rows)) : Optional.empty();
            }
        }
    }

    private record Parked(String traceId, JobStatus status, JsonNode interrupts, JsonNode decisions,
                          JsonNode definition, JsonNode limits, OffsetDateTime interruptedAt) {
    }
}
