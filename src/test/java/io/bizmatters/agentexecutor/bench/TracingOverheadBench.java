package io.bizmatters.agentexecutor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.OtlpReceiver;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What tracing costs: the README's multi-agent sample job (offline model, so the engine, the
 * checkpoints and the stream are all that run) JOBS times over JetStream, with TRACING=on
 * exporting every span over OTLP/HTTP to a local receiver, or off. Prints jobs/s and the JVM's CPU
 * time per job after a warm-up of a fifth as many jobs. Run with scripts/bench/tracing-overhead.sh; not a test.
 */
public final class TracingOverheadBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(System.getProperty("jobs", "500"));
        boolean tracing = "on".equals(System.getProperty("tracing", "off"));
        ObjectNode sample = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/sample-job.json")));
        try (OtlpReceiver collector = new OtlpReceiver()) {
            Map<String, String> environment = new HashMap<>(Map.of("AGENT_OFFLINE_MODEL", "auto",
                    "MAX_CONCURRENT_JOBS", "50", "POSTGRES_POOL_SIZE", "40", "LOG_LEVEL", "WARN"));
            if (tracing) {
                environment.putAll(collector.environment());
                environment.put("OTEL_BSP_SCHEDULE_DELAY", "1000");
            }
            try (RunningService service = RunningService.start(environment, EngineAssembly::create);
                 Connection nats = Nats.connect(TestServers.natsUrl())) {
                run(nats, sample, jobs / 5);
                long cpuBefore = processCpuNanos();
                double perSecond = run(nats, sample, jobs);
                double cpuMillisPerJob = (processCpuNanos() - cpuBefore) / 1e6 / jobs;
                System.out.printf("BENCH tracing=%s jobs=%d jobsPerSecond=%.1f cpuMsPerJob=%.1f spansReceived=%d%n",
                        tracing ? "on" : "off", jobs, perSecond, cpuMillisPerJob, collector.spans().size());
            }
        }
        System.exit(0);
    }

    /** CPU time of this JVM (service, clients and receiver): less swayed than wall time by a busy machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double run(Connection nats, ObjectNode sample, int jobs) throws Exception {
        Subscription results = nats.subscribe("agent.status.*");
        nats.flush(Duration.ofSeconds(5));
        long started = System.nanoTime();
        CompletableFuture<?>[] acks = new CompletableFuture<?>[jobs];
        for (int i = 0; i < jobs; i++) {
            ObjectNode event = sample.deepCopy();
            ((ObjectNode) event.get("data")).put("job_id", "bench-" + UUID.randomUUID())
                    .put("trace_id", UUID.randomUUID().toString());
            acks[i] = nats.jetStream().publishAsync("agent.execute.bench", JSON.writeValueAsBytes(event));
        }
        CompletableFuture.allOf(acks).join();
        for (int done = 0; done < jobs; done++) {
            var result = results.nextMessage(Duration.ofMinutes(2));
            if (result == null) {
                throw new IllegalStateException("only " + done + " of " + jobs + " jobs finished");
            }
            if (!result.getSubject().endsWith("completed")) {
                System.out.println("BENCH a job failed: " + new String(result.getData()));
            }
        }
        results.unsubscribe();
        return jobs / ((System.nanoTime() - started) / 1e9);
    }
}
