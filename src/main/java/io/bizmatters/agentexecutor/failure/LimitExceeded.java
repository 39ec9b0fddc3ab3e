package io.bizmatters.agentexecutor.failure;

/**
 * The job reached one of its limits (model calls, tool calls, tokens, delegation depth): the
 * message names the limit and the figures, per agent. A redelivery would fail the same way.
 */
public class LimitExceeded extends JobFailure {
    public LimitExceeded(String message) {
        super(message, true);
    }
}
