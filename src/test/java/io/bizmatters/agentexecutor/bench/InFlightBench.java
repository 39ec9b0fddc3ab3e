package io.bizmatters.agentexecutor.bench;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many slow jobs one JVM keeps in flight: JOBS jobs whose engine call waits SECONDS (a slow
 * LLM), consumed from JetStream with MAX_CONCURRENT_JOBS slots. Prints the peak in flight and the
 * wall time. Run with scripts/bench/in-flight.sh; not a test.
 */
public final class InFlightBench {
    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(System.getProperty("jobs", "2000"));
        String slots = System.getProperty("slots", "2000");
        Duration jobTime = Duration.ofSeconds(Long.parseLong(System.getProperty("seconds", "5")));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AgentRunner slowModel = job -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(jobTime);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return new AgentOutcome("done", List.of());
        };
        try (RunningService service = RunningService.start(
                Map.of("MAX_CONCURRENT_JOBS", slots, "POSTGRES_POOL_SIZE", "40"), infrastructure -> slowModel);
             Connection nats = Nats.connect(TestServers.natsUrl())) {
            Subscription completed = nats.subscribe("agent.status.completed");
            nats.flush(Duration.ofSeconds(5));
            long started = System.nanoTime();
            CompletableFuture<?>[] acks = new CompletableFuture<?>[jobs];
            for (int i = 0; i < jobs; i++) {
                acks[i] = nats.jetStream().publishAsync("agent.execute.bench",
                        SampleJobs.jobExecutionEvent(SampleJobs.newJobId(), "bench").getBytes(StandardCharsets.UTF_8));
            }
            CompletableFuture.allOf(acks).join();
            for (int done = 0; done < jobs; done++) {
                if (completed.nextMessage(Duration.ofMinutes(2)) == null) {
                    throw new IllegalStateException("only " + done + " of " + jobs + " jobs completed");
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("BENCH jobs=%d slots=%s jobTime=%ss peakInFlight=%d wall=%.1fs%n",
                    jobs, slots, jobTime.toSeconds(), peak.get(), millis / 1000.0);
        }
        System.exit(0);
    }
}
