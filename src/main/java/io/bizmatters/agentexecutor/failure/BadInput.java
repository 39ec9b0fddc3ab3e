package io.bizmatters.agentexecutor.failure;

import java.util.List;

/**
 * The request itself is wrong: not a CloudEvent, a missing field, an invalid agent definition.
 * Retrying can never help, so HTTP answers 400 and JetStream terminates the message after its
 * failed event. Its message is stored and published, so a value it quotes goes through
 * {@link #quote(String)}.
 */
public class BadInput extends ClassifiedFailure {
    /** Quoted values are cut here: a reason names the value, it does not carry it. */
    private static final int QUOTED_LENGTH = 64;

    private final List<String> fields;

    public BadInput(String field, String message) {
        this(List.of(field), message);
    }

    /** Every offending field at once, so a caller fixes them in one round. */
    public BadInput(List<String> fields, String message) {
        super(message, null, false);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a bad input names at least one field");
        }
        this.fields = List.copyOf(fields);
    }

    /** The JSON path of the (first) offending field, e.g. {@code data.job_id}; never null. */
    public String field() {
        return fields.getFirst();
    }

    /** Every offending field, in the order they were found. */
    public List<String> fields() {
        return fields;
    }

    /**
     * A caller's value as a reason may quote it: in single quotes, control characters escaped as
     * {@code \\uXXXX} (a NUL would make the stored error unstorable, a newline would forge a log
     * line), cut to a short prefix.
     */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder("'");
        int end = Math.min(value.length(), QUOTED_LENGTH);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                quoted.append(c).append(value.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append(value.length() > end ? "...'" : "'").toString();
    }

    @Override
    public FailureKind kind() {
        return FailureKind.BAD_INPUT;
    }
}
