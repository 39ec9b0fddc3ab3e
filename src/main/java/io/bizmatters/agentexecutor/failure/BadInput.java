package io.bizmatters.agentexecutor.failure;

/**
 * The request itself is wrong: not a CloudEvent, a missing field, an invalid agent definition.
 * Retrying can never help, so HTTP answers 400 and JetStream terminates the message after its
 * failed event.
 */
public class BadInput extends RuntimeException {
    private final String field;

    public BadInput(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The JSON path of the offending field, e.g. {@code data.job_id}; never null. */
    public String field() {
        return field;
    }
}
