package io.bizmatters.agentexecutor.faults;

/** One fault the suite caused: what, to whom (an instance's process name or a server), and when it began and ended. */
record FaultEvent(Kind kind, String target, long startMillis, long endMillis) {
    enum Kind {
        INSTANCE_KILL, POSTGRES_RESTART, DRAGONFLY_CUT, NATS_KILL, NATS_KILL_AFTER_ACKS, NATS_OUTAGE
    }

    /** Whether the time span from {@code fromMillis} to {@code toMillis} overlaps the fault. */
    boolean covers(long fromMillis, long toMillis) {
        return fromMillis <= endMillis && toMillis >= startMillis;
    }
}
