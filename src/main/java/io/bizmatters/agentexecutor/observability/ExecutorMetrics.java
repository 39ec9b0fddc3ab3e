package io.bizmatters.agentexecutor.observability;

import io.bizmatters.agentexecutor.ingress.jetstream.Disposition;
import io.bizmatters.agentexecutor.ingress.jetstream.DeliveryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.util.List;

/**
 * The metrics the dashboards of the Python service read (contract.md), under the same Prometheus
 * names. Every series is registered at start-up, so it shows 0 rather than missing.
 */
public class ExecutorMetrics implements DeliveryListener {
    /** The event types of the Dragonfly stream (contract.md), registered up front. */
    private static final List<String> STREAM_EVENT_TYPES = List.of("on_state_update", "on_llm_stream", "end", "error");

    private final MeterRegistry registry;
    private final Counter jobsCompleted;
    private final Counter jobsFailed;
    private final Timer jobDuration;
    private final Counter dbConnectionErrors;
    private final Counter redisPublishErrors;
    private final Counter natsProcessed;
    private final Counter natsFailed;

    public ExecutorMetrics(MeterRegistry registry) {
        this.registry = registry;
        jobsCompleted = jobs("completed");
        jobsFailed = jobs("failed");
        jobDuration = Timer.builder("agent.executor.job.duration")
                .description("Time from receiving a job to its terminal state")
                .publishPercentileHistogram()
                .register(registry);
        dbConnectionErrors = Counter.builder("agent.executor.db.connection.errors")
                .description("PostgreSQL operations that failed").register(registry);
        STREAM_EVENT_TYPES.forEach(this::redisPublishCounter);
        redisPublishErrors = Counter.builder("agent.executor.redis.publish.errors")
                .description("Stream events Dragonfly did not take").register(registry);
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

    public void dbConnectionError() {
        dbConnectionErrors.increment();
    }

    /** For the Dragonfly stream publisher: one event of {@code eventType} went out. */
    public void redisPublished(String eventType) {
        redisPublishCounter(eventType).increment();
    }

    private Counter redisPublishCounter(String eventType) {
        return Counter.builder("agent.executor.redis.publish").description("Stream events published to Dragonfly")
                .tag("event_type", eventType).register(registry);
    }

    public void redisPublishFailed() {
        redisPublishErrors.increment();
    }

    @Override
    public void settled(Disposition disposition) {
        (disposition == Disposition.ACK ? natsProcessed : natsFailed).increment();
    }
}
