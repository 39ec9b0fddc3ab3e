package io.bizmatters.agentexecutor.streaming;

import java.time.Duration;

/**
 * Bounds of a job's replayable stream {@code langgraph:events:{job_id}}: at most about
 * {@code maxEvents} entries (STREAM_MAX_EVENTS, trimmed with MAXLEN ~), kept for {@code retention}
 * (STREAM_RETENTION_SECONDS) after the job's last step or terminal event.
 */
public record StreamSettings(int maxEvents, Duration retention) {
    public static final int DEFAULT_MAX_EVENTS = 10_000;
    public static final Duration DEFAULT_RETENTION = Duration.ofSeconds(86_400);
    public static final StreamSettings DEFAULTS = new StreamSettings(DEFAULT_MAX_EVENTS, DEFAULT_RETENTION);

    public StreamSettings {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("STREAM_MAX_EVENTS must be a positive integer, got " + maxEvents);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("STREAM_RETENTION_SECONDS must be a positive integer, got " + retention.toSeconds());
        }
    }

    @Override
    public String toString() {
        return "stream max " + maxEvents + " events, retention " + retention.toSeconds() + "s";
    }
}
