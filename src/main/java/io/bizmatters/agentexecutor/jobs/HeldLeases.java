package io.bizmatters.agentexecutor.jobs;

import io.bizmatters.agentexecutor.agent.AgentJob;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This process's own book of the leases it holds, by job id, with the delivery (its job object)
 * that holds each and when this process last sent the statement that set it: what lets
 * {@link JobLeases} run a job here at most once and tell a lease that cannot have run out yet
 * without asking the database.
 */
final class HeldLeases {
    /**
     * How much of a lease must be left, by this process's clock, to count as live: the database
     * set it from a time after this process measured, and two clocks may drift apart a little.
     */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(2);

    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    /** A lease held by a delivery, and when (System.nanoTime) this process last sent the statement that set it. */
    private record Lease(AgentJob holder, long setFrom) {
        Lease(AgentJob holder) {
            this(holder, System.nanoTime());
        }
    }

    /** Notes the job as held by this delivery unless another delivery here holds it; true when this one now does. */
    boolean reserve(AgentJob job) {
        return leases.putIfAbsent(job.jobId(), new Lease(job)) == null;
    }

    /** Notes the job as held by this delivery, whoever held it here before. */
    void hold(AgentJob job) {
        leases.put(job.jobId(), new Lease(job));
    }

    boolean holds(AgentJob job) {
        Lease lease = leases.get(job.jobId());
        return lease != null && lease.holder() == job;
    }

    /** True while this delivery holds the job and, by the last statement sent at {@link Lease#setFrom}, its lease is live. */
    boolean live(AgentJob job) {
        Lease lease = leases.get(job.jobId());
        return lease != null && lease.holder() == job
                && System.nanoTime() - lease.setFrom() < JobStore.LEASE.minus(LEASE_MARGIN).toNanos();
    }

    /** Notes that the statement sent at {@code sentAt} (System.nanoTime) extended the job's lease. */
    void renewed(String jobId, long sentAt) {
        leases.computeIfPresent(jobId, (id, lease) -> new Lease(lease.holder(), sentAt));
    }

    /** Drops the job when this delivery held it, and says so; another delivery of the same job keeps its own. */
    boolean forget(AgentJob job) {
        AtomicBoolean held = new AtomicBoolean();
        leases.computeIfPresent(job.jobId(), (jobId, lease) -> {
            held.set(lease.holder() == job);
            return lease.holder() == job ? null : lease;
        });
        return held.get();
    }

    String[] jobIds() {
        return leases.keySet().toArray(String[]::new);
    }
}
