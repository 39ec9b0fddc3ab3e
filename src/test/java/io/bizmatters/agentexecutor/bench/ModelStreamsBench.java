package io.bizmatters.agentexecutor.bench;

import io.bizmatters.agentexecutor.testsupport.SlowModelStreams;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * How many slow model streams one JVM reads at once: CALLS concurrent streaming calls through the
 * real OpenAI client, each answered by a model that sends its first token and then keeps
 * generating until every call has started streaming, or no further call did for SETTLE seconds.
 * Prints how many were streaming at once and the JVM's peak platform threads. Run with
 * scripts/bench/model-streams.sh; not a test.
 */
public final class ModelStreamsBench {
    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(System.getProperty("calls", "2000"));
        Duration settle = Duration.ofSeconds(Long.parseLong(System.getProperty("settle", "10")));
        long started = System.nanoTime();
        try (SlowModelStreams streams = SlowModelStreams.start(calls)) {
            streams.awaitAllStreamingOrNoProgressFor(settle);
            int streamingAtOnce = streams.streaming();
            double untilThen = (System.nanoTime() - started) / 1e9;
            streams.release();
            CompletableFuture.allOf(streams.answers().toArray(CompletableFuture[]::new)).join();
            System.out.printf("BENCH calls=%d streamingAtOnce=%d secondsUntilThen=%.1f wall=%.1fs "
                            + "peakPlatformThreads=%d commonPoolParallelism=%d%n",
                    calls, streamingAtOnce, untilThen, (System.nanoTime() - started) / 1e9,
                    ManagementFactory.getThreadMXBean().getPeakThreadCount(), ForkJoinPool.getCommonPoolParallelism());
        }
        System.exit(0);
    }
}
