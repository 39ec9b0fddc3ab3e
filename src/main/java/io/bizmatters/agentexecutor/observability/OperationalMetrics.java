package io.bizmatters.agentexecutor.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The series beyond the contract's that the shipped dashboard and alerts read (docs/observability.md):
 * model-call latency, jobs in flight against slots, delivery attempts, checkpoint write latency and
 * queue wait. Histograms have fixed buckets sized for what they measure, so a scrape stays small.
 */
public class OperationalMetrics {
    public static final String HTTP = "http";
    public static final String JETSTREAM = "jetstream";

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter httpDeliveries;
    private final Counter jetStreamDeliveries;
    private final Timer checkpointWrites;
    private final Timer queueWait;

    /** @param jobSlots MAX_CONCURRENT_JOBS, shown beside the jobs in flight */
    public OperationalMetrics(MeterRegistry registry, int jobSlots) {
        this.registry = registry;
        Gauge.builder("agent.executor.jobs.in.flight", inFlight, AtomicInteger::get)
                .description("Deliveries of jobs running now, both ingresses").register(registry);
        Gauge.builder("agent.executor.job.slots", () -> jobSlots)
                .description("MAX_CONCURRENT_JOBS: jobs one pod runs at once").register(registry);
        httpDeliveries = deliveries(HTTP);
        jetStreamDeliveries = deliveries(JETSTREAM);
        checkpointWrites = Timer.builder("agent.executor.checkpoint.write.duration")
                .description("Writing one checkpoint to PostgreSQL")
                .serviceLevelObjectives(millis(1), millis(2), millis(5), millis(10), millis(25), millis(50),
                        millis(100), millis(250), millis(500), millis(1000), millis(2500))
                .register(registry);
        queueWait = Timer.builder("agent.executor.queue.wait")
                .description("From the CloudEvent's time (its publish) to the start of its delivery")
                .serviceLevelObjectives(millis(10), millis(50), millis(100), millis(500), seconds(1), seconds(5),
                        seconds(10), seconds(30), seconds(60), seconds(300), seconds(900))
                .register(registry);
    }

    private Counter deliveries(String ingress) {
        return Counter.builder("agent.executor.delivery.attempts")
                .description("Deliveries of jobs, redeliveries included").tag("ingress", ingress).register(registry);
    }

    public void deliveryStarted(String ingress) {
        (JETSTREAM.equals(ingress) ? jetStreamDeliveries : httpDeliveries).increment();
        inFlight.incrementAndGet();
    }

    public void deliveryEnded() {
        inFlight.decrementAndGet();
    }

    public void queueWait(Duration wait) {
        queueWait.record(wait);
    }

    public void checkpointWritten(long nanos) {
        checkpointWrites.record(Duration.ofNanos(nanos));
    }

    /** @param outcome {@code ok}, {@code error} (the provider rejected the call) or {@code unavailable} */
    public void modelCall(String provider, String model, String outcome, long nanos) {
        Timer.builder("agent.executor.model.call.duration")
                .description("One model call, retries included, by provider, model and outcome")
                .serviceLevelObjectives(millis(100), millis(250), millis(500), seconds(1), seconds(2), seconds(5),
                        seconds(10), seconds(20), seconds(30), seconds(60), seconds(120))
                .tags("provider", provider, "model", model, "outcome", outcome)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }

    private static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
