package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.failure.ClassifiedFailure;
import io.bizmatters.agentexecutor.failure.JobFailure;

import java.util.Optional;

/**
 * LangGraph4j wraps whatever a node throws (GraphRunnerException, CompletionException, ...).
 * This digs out what a step threw: our own classified failure, or a signal between steps.
 */
final class GraphFailures {
    private GraphFailures() {
    }

    /** The classified failure inside; anything nobody classified fails the job. */
    static RuntimeException classify(Throwable thrown) {
        return ClassifiedFailure.within(thrown).<RuntimeException>map(f -> f)
                .orElseGet(() -> new JobFailure("the agent graph failed: " + thrown.getMessage(), thrown));
    }

    /** A signal a step threw ({@link Halt.Halted}, {@link BranchesParked}), under LangGraph4j's wrapping. */
    static <T extends Throwable> Optional<T> find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
