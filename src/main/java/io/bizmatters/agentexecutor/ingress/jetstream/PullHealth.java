package io.bizmatters.agentexecutor.ingress.jetstream;

import java.time.Duration;

/**
 * Whether this pod's pulls still reach JetStream: the connection can say CONNECTED while nothing
 * it writes arrives (jnats #1522 left the writer stuck after a reconnect, and the pod went silent
 * with messages pending). Progress is a message received, or the server saying there is nothing
 * this pod could pull; a pod whose job slots are all busy makes progress by definition. /ready and
 * /metrics read it; bind one in the registry so that they read the consumer's.
 */
public class PullHealth {
    /** Without progress for longer than this, /ready answers 503 (the fault suite's limit as well). */
    public static final Duration STALL_LIMIT = Duration.ofSeconds(10);

    private volatile long lastProgressNanos = System.nanoTime();
    private volatile long pendingMessages;

    void progressed() {
        lastProgressNanos = System.nanoTime();
    }

    void pendingMessages(long pending) {
        pendingMessages = pending;
    }

    /** How long since this pod last pulled a message or learnt that none was waiting for it. */
    public Duration sinceProgress() {
        return Duration.ofNanos(System.nanoTime() - lastProgressNanos);
    }

    public boolean isStalled() {
        return sinceProgress().compareTo(STALL_LIMIT) > 0;
    }

    /** The consumer's num_pending at the last check: messages no pod has been given yet. */
    public long pendingMessages() {
        return pendingMessages;
    }
}
