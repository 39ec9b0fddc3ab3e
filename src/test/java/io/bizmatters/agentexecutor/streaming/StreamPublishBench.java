package io.bizmatters.agentexecutor.streaming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events per second through the publisher into a local server (scripts/bench/stream-publish.sh).
 * Jobs are virtual threads emitting token events as fast as they can, which is far harsher than
 * a model streaming 50-100 tokens per second, so the queue overflows and drops tokens by design:
 * published_per_second is the publisher's capacity. The time a job's thread spends per call
 * (including waits for a carrier thread among all the jobs) is reported too.
 * Arguments: port jobs eventsPerJob.
 */
public final class StreamPublishBench {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int jobs = Integer.parseInt(args[1]);
        int eventsPerJob = Integer.parseInt(args[2]);
        long total = (long) jobs * (eventsPerJob + 1);
        MeterRegistry meters = new SimpleMeterRegistry();
        LongAdder nanosInCalls = new LongAdder();
        try (DragonflyJobEventPublisher publisher =
                     new DragonflyJobEventPublisher(new DragonflySettings("127.0.0.1", port, null), meters)) {
            publisher.start();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                JobEvents events = publisher.forJob("bench-" + j);
                threads.add(Thread.ofVirtual().start(() -> {
                    long began = System.nanoTime();
                    for (int i = 0; i < eventsPerJob; i++) {
                        events.llmToken("orchestrator", "token " + i + " ");
                    }
                    events.end();
                    nanosInCalls.add(System.nanoTime() - began);
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
                            + " errors=%.0f mean_thread_microseconds_per_call=%.2f%n",
                    jobs, total, seconds, published, published / seconds,
                    sum(meters, "agent_executor_redis_publish_dropped_total"),
                    sum(meters, "agent_executor_redis_publish_errors_total"), nanosInCalls.sum() / 1e3 / total);
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
