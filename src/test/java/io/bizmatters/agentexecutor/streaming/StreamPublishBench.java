package io.bizmatters.agentexecutor.streaming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;

/**
 * Events per second through the publisher into a local server (scripts/bench/stream-publish.sh):
 * each event is one PUBLISH and one XADD to the job's replayable stream, in one pipeline.
 * Jobs are virtual threads emitting token events as fast as they can, which is far harsher than
 * a model streaming 50-100 tokens per second, so the queue overflows and drops tokens by design:
 * published_per_second is the publisher's capacity. The mean time a job spends inside a call is
 * reported too (it includes waits for a carrier thread when jobs outnumber cores).
 * With a fourth argument, each job paces itself to that many tokens per second instead, as a
 * streaming model does: then the question is whether the publisher keeps up without dropping.
 * Arguments: port jobs eventsPerJob [tokensPerSecondPerJob].
 */
public final class StreamPublishBench {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int jobs = Integer.parseInt(args[1]);
        int eventsPerJob = Integer.parseInt(args[2]);
        long pauseNanos = args.length > 3 ? 1_000_000_000L / Integer.parseInt(args[3]) : 0;
        long total = (long) jobs * (eventsPerJob + 1);
        MeterRegistry meters = new SimpleMeterRegistry();
        LongAdder nanosInCalls = new LongAdder();
        try (DragonflyJobEventPublisher publisher =
                     new DragonflyJobEventPublisher(new DragonflySettings("127.0.0.1", port, null),
                             new StreamSettings(StreamSettings.DEFAULT_MAX_EVENTS, Duration.ofMinutes(5)), meters)) {
            publisher.start();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                JobEvents events = publisher.forJob("bench-" + j);
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < eventsPerJob; i++) {
                        long callStart = System.nanoTime();
                        events.llmToken("orchestrator", "token " + i + " ");
                        nanosInCalls.add(System.nanoTime() - callStart);
                        if (pauseNanos > 0) {
                            LockSupport.parkNanos(pauseNanos);
                        }
                    }
                    events.end();
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            while (handled(meters) < total) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double published = sum(meters, "agent_executor_redis_publish_total");
            System.out.printf("jobs=%d offered=%d seconds=%.3f published=%.0f published_per_second=%.0f dropped=%.0f"
                            + " errors=%.0f mean_microseconds_per_call=%.2f%n",
                    jobs, total, seconds, published, published / seconds,
                    sum(meters, "agent_executor_redis_publish_dropped_total"),
                    sum(meters, "agent_executor_redis_publish_errors_total"), nanosInCalls.sum() / 1e3 / ((long) jobs * eventsPerJob));
        }
        // The streams would otherwise hold every event for minutes, and the next run would number on from them.
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (int j = 0; j < jobs; j++) {
                jedis.del(ReplayableStream.key("bench-" + j));
            }
        }
    }

    private static double handled(MeterRegistry meters) {
        return sum(meters, "agent_executor_redis_publish_total") + sum(meters, "agent_executor_redis_publish_dropped_total")
                + sum(meters, "agent_executor_redis_publish_errors_total");
    }

    private static double sum(MeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
