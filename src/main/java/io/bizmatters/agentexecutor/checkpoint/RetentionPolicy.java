package io.bizmatters.agentexecutor.checkpoint;

import io.bizmatters.agentexecutor.config.SettingsReader;

import java.util.Map;

/**
 * How long checkpoints outlive their job, from {@code CHECKPOINT_RETENTION} ({@code last}, the
 * default, or {@code none}) and {@code CHECKPOINT_RETENTION_DAYS} (default 7, at least 1).
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

    /** The same reading over a given environment, for tests and tools; start-up uses {@link #from}. */
    public static RetentionPolicy fromEnvironment(Map<String, String> environment) {
        return SettingsReader.read(environment, RetentionPolicy::from);
    }

    public static RetentionPolicy from(SettingsReader reader) {
        String mode = reader.text(MODE_VARIABLE);
        boolean keepLast = !"none".equalsIgnoreCase(mode);
        if (keepLast && !"last".equalsIgnoreCase(mode)) {
            reader.problem(MODE_VARIABLE + " must be 'last' or 'none', got '" + mode + "'");
        }
        long days = reader.atLeast(DAYS_VARIABLE, 1);
        return new RetentionPolicy(keepLast, (int) Math.min(days, Integer.MAX_VALUE));
    }
}
