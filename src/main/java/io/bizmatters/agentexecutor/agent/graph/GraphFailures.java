package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;

import java.util.Optional;

/**
 * LangGraph4j wraps whatever a node throws (GraphRunnerException, CompletionException, ...).
 * This digs out our own failure so the caller decides by type, as the failure classes intend.
 */
final class GraphFailures {
    private GraphFailures() {
    }

    static RuntimeException classify(RuntimeException thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof JobFailure || t instanceof InfrastructureFault || t instanceof BadInput) {
                return (RuntimeException) t;
            }
        }
        return new JobFailure("the agent graph failed: " + thrown.getMessage(), thrown);
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
