package io.bizmatters.agentexecutor.observability;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.ingress.jetstream.Disposition;
import io.bizmatters.agentexecutor.ingress.jetstream.DeliveryListener;
import io.bizmatters.agentexecutor.ingress.jetstream.PullHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;

import java.time.Duration;

/**
 * The metrics the dashboards of the Python service read (docs/contract.md), under the same Prometheus
 * names. Every series is registered at start-up, so it shows 0 rather than missing. The stream's
 * counters ({@code agent_executor_redis_publish_*}) belong to the stream publisher, which counts them.
 */
public class ExecutorMetrics implements DeliveryListener {
    private final MeterRegistry registry;
    private final Counter jobsCompleted;
    private final Counter jobsFailed;
    private final Counter jobsCancelled;
    private final Timer jobDuration;
    private final Counter dbConnectionErrors;
    private final Counter natsProcessed;
    private final Counter natsFailed;

    public ExecutorMetrics(MeterRegistry registry, PullHealth pulls) {
        this.registry = registry;
        Gauge.builder("agent.executor.nats.pull.stall.seconds", pulls, p -> p.sinceProgress().toMillis() / 1000.0)
                .description("Seconds since this pod last pulled a message or learnt none was waiting for it; /ready fails above "
                        + PullHealth.STALL_LIMIT.toSeconds())
                .register(registry);
        Gauge.builder("agent.executor.nats.consumer.pending", pulls, PullHealth::pendingMessages)
                .description("Messages of the durable consumer given to no pod yet (num_pending), as last seen")
                .register(registry);
        jobsCompleted = jobs("completed");
        jobsFailed = jobs("failed");
        jobsCancelled = jobs("cancelled");
        jobDuration = Timer.builder("agent.executor.job.duration")
                .description("Time from receiving a job to its terminal state")
                .publishPercentileHistogram()
                .register(registry);
        dbConnectionErrors = Counter.builder("agent.executor.db.connection.errors")
                .description("PostgreSQL operations that failed").register(registry);
        natsProcessed = Counter.builder("agent.executor.nats.messages.processed")
                .description("JetStream messages acked after their job finished").register(registry);
        natsFailed = Counter.builder("agent.executor.nats.messages.failed")
                .description("JetStream messages naked or terminated").register(registry);
    }

    private Counter jobs(String status) {
        return Counter.builder("agent.executor.jobs").description("Jobs that reached a terminal state")
                .tag("status", status).register(registry);
    }

    /** A job completed; its duration runs from the exchange's creation. */
    public void jobCompleted(Exchange exchange) {
        jobsCompleted.increment();
        jobDuration.record(Duration.ofMillis(exchange.getClock().elapsed()));
    }

    public void jobFailed(Exchange exchange) {
        jobsFailed.increment();
        jobDuration.record(Duration.ofMillis(exchange.getClock().elapsed()));
    }

    /** A parked job expired: failed with no exchange of its own, so no duration is recorded. */
    public void jobExpired() {
        jobsFailed.increment();
    }

    public void jobCancelled(Exchange exchange) {
        jobCancelled();
        jobDuration.record(Duration.ofMillis(exchange.getClock().elapsed()));
    }

    /** A job cancelled before it ever ran, or while parked: no exchange of its own, so no duration. */
    public void jobCancelled() {
        jobsCancelled.increment();
    }

    public void dbConnectionError() {
        dbConnectionErrors.increment();
    }

    /** Tokens the job's models charged, per provider, model and direction (in or out). */
    public void tokensUsed(AgentOutcome outcome) {
        for (AgentOutcome.ModelUsage usage : outcome.usage()) {
            tokens(usage, "in").increment(usage.inputTokens());
            tokens(usage, "out").increment(usage.outputTokens());
        }
    }

    private Counter tokens(AgentOutcome.ModelUsage usage, String direction) {
        return Counter.builder("agent.executor.llm.tokens").description("Tokens charged by the models of finished jobs")
                .tag("provider", usage.provider()).tag("model", usage.model()).tag("direction", direction)
                .register(registry);
    }

    @Override
    public void settled(Disposition disposition) {
        (disposition == Disposition.ACK ? natsProcessed : natsFailed).increment();
    }
}
