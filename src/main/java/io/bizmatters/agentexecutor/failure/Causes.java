package io.bizmatters.agentexecutor.failure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What went wrong and why, in one line. {@link #describe} is for logs: each exception of the cause
 * chain as {@code Type: message}, so a refused connection reads {@code ConnectException: Connection
 * refused} rather than a bare {@code null}. {@link #message} is for what callers read (failed
 * events, HTTP answers), which name no class.
 */
public final class Causes {
    private static final int DEPTH = 4;

    private Causes() {
    }

    /** The first exception of that type in the cause chain, the thrown one included. */
    public static <T extends Throwable> Optional<T> find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** The first message the cause chain has, else a plain word for what failed. */
    public static String message(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return "no answer (the connection failed)";
    }

    /** What a caller is told of a fault: the dependency, never its error text (SQL, hosts, class names). */
    public static String unavailable(Throwable fault) {
        return fault instanceof InfrastructureFault infrastructure
                ? infrastructure.dependency() + " is unavailable"
                : "an internal error stopped the job";
    }

    public static String describe(Throwable error) {
        List<String> parts = new ArrayList<>();
        String previous = null;
        for (Throwable t = error; t != null && parts.size() < DEPTH; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && previous != null && previous.contains(message)) {
                continue; // a wrapper repeating its cause's words adds nothing
            }
            parts.add(message == null || message.isBlank() ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + ": " + message);
            previous = message;
        }
        return String.join(", caused by ", parts);
    }
}
