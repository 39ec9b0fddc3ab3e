package io.bizmatters.agentexecutor.testsupport;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine stand-in that counts its runs per job. A job whose id starts with {@link #FAILING_PREFIX}
 * throws as an engine bug would, one with {@link #FLAKY_PREFIX} meets an outage on its first run,
 * everything else completes with {@link #OUTPUT}.
 */
public final class CountingRunner implements AgentRunner {
    public static final String OUTPUT = "counted output";
    public static final String FAILING_PREFIX = "failing-";
    /** Jobs whose first run meets a PostgreSQL outage and whose second run completes. */
    public static final String FLAKY_PREFIX = "flaky-";

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @Override
    public AgentOutcome run(AgentJob job) {
        int run = runs.computeIfAbsent(job.jobId(), id -> new AtomicInteger()).incrementAndGet();
        if (job.jobId().startsWith(FLAKY_PREFIX) && run == 1) {
            throw new InfrastructureFault("postgres", "connection refused", null);
        }
        if (job.jobId().startsWith(FAILING_PREFIX)) {
            throw new IllegalStateException("the model refused to answer");
        }
        return new AgentOutcome(OUTPUT, List.of(new AgentOutcome.ModelUsage("openai", "gpt-4.1-mini", 12, 3)));
    }

    public int runsOf(String jobId) {
        AtomicInteger count = runs.get(jobId);
        return count == null ? 0 : count.get();
    }
}
