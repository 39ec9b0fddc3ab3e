package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.failure.Causes;
import io.bizmatters.agentexecutor.failure.ClassifiedFailure;
import io.bizmatters.agentexecutor.failure.JobFailure;

/**
 * LangGraph4j wraps whatever a node throws (GraphRunnerException, CompletionException, ...).
 * This digs out our own classified failure; signals between steps are found with {@link Causes#find}.
 */
final class GraphFailures {
    private GraphFailures() {
    }

    /** The classified failure inside; anything nobody classified fails the job. */
    static RuntimeException classify(Throwable thrown) {
        return ClassifiedFailure.within(thrown).<RuntimeException>map(f -> f)
                .orElseGet(() -> new JobFailure("the agent graph failed: " + thrown.getMessage(), thrown));
    }
}
