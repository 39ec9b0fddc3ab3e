package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Runs the calls of one fan-out on virtual threads of their own, each carrying the job's trace
 * context, and waits until every one has ended.
 */
final class CallThreads {
    private CallThreads() {
    }

    /**
     * @param stopsSiblings an outcome after which the calls still at work are interrupted
     * @return every call's future, all done; empty when the waiting thread was interrupted (a cancel,
     *         the deadline), in which case every call was interrupted too and has ended
     */
    static <T> Optional<List<Future<T>>> runAll(String jobId, EngineTelemetry telemetry, List<Callable<T>> calls,
                                                Predicate<T> stopsSiblings) {
        boolean interrupted = false;
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("job-" + jobId + "-call-", 0).factory())) {
            ExecutorCompletionService<T> completed = new ExecutorCompletionService<>(threads);
            calls.forEach(call -> futures.add(completed.submit(telemetry.carried(call))));
            for (int i = 0; i < calls.size(); i++) {
                try {
                    if (stopsSiblings.test(completed.take().get())) {
                        futures.forEach(future -> future.cancel(true));
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    futures.forEach(future -> future.cancel(true));
                    break;
                } catch (ExecutionException | CancellationException e) {
                    // the caller reads each future in the calls' order
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(futures);
    }
}
