package io.bizmatters.agentexecutor.failure;

import java.util.Optional;

/**
 * A failure classified where it was born: its type says its {@link FailureKind}, so code that
 * catches it passes it on as it is ({@code catch (ClassifiedFailure e) { throw e; }}) and wraps
 * only what nobody classified.
 */
public abstract class ClassifiedFailure extends RuntimeException {
    protected ClassifiedFailure(String message) {
        super(message);
    }

    protected ClassifiedFailure(String message, Throwable cause) {
        super(message, cause);
    }

    protected ClassifiedFailure(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }

    public abstract FailureKind kind();

    /**
     * Our own failure inside what a library threw around it (LangGraph4j wraps whatever a node
     * throws in GraphRunnerException, CompletionException, ...): the first in the cause chain.
     */
    public static Optional<ClassifiedFailure> within(Throwable thrown) {
        return Causes.find(thrown, ClassifiedFailure.class);
    }
}
