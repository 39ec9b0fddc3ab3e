package io.bizmatters.agentexecutor.checkpoint;

import java.util.Locale;
import java.util.Map;

/**
 * How long checkpoints outlive their job, from {@code CHECKPOINT_RETENTION} ({@code last}, the
 * default, or {@code none}) and {@code CHECKPOINT_RETENTION_DAYS} (default 7).
 *
 * @param keepLast  true: a finished job keeps only its last checkpoint, forever;
 *                  false: a job keeps all its checkpoints until it has been idle {@code idleDays}
 * @param idleDays  after this many days without a new checkpoint a thread is abandoned (JetStream
 *                  no longer redelivers it): compacted to its last checkpoint, or deleted
 */
public record RetentionPolicy(boolean keepLast, int idleDays) {
    public static final String MODE_VARIABLE = "CHECKPOINT_RETENTION";
    public static final String DAYS_VARIABLE = "CHECKPOINT_RETENTION_DAYS";

    public RetentionPolicy {
        if (idleDays < 1) {
            throw new IllegalArgumentException(DAYS_VARIABLE + " must be at least 1 day, got " + idleDays);
        }
    }

    public static RetentionPolicy fromEnvironment(Map<String, String> environment) {
        String mode = environment.getOrDefault(MODE_VARIABLE, "last").trim().toLowerCase(Locale.ROOT);
        boolean keepLast = switch (mode) {
            case "last" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException(
                    MODE_VARIABLE + " must be 'last' or 'none', got '" + environment.get(MODE_VARIABLE) + "'");
        };
        String days = environment.getOrDefault(DAYS_VARIABLE, "7").trim();
        try {
            return new RetentionPolicy(keepLast, Integer.parseInt(days));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DAYS_VARIABLE + " must be a whole number of days, got '" + days + "'", e);
        }
    }
}
