package io.bizmatters.agentexecutor.streaming;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each job's {@code seq} stands, kept by the publisher thread alone. A delivery's first event
 * learns the job's last number from the replayable stream, so numbering goes on across
 * redeliveries, resumes and pods; a leaving event forgets it, because the next delivery may run
 * elsewhere. An event that cannot be written still uses up its number, so a reader sees the gap.
 */
final class JobSequences {
    /** A job not heard of for this long is forgotten; its next event reads the stream again. */
    static final long IDLE_MILLIS = 10 * 60_000;

    private static final class Position {
        /** The last number given out, or -1 while the stream has not been read. */
        long last = -1;
        /** Numbers used up by events lost before the stream could be read. */
        long lostBeforeKnown;
        long usedAtMillis;
    }

    private final Map<String, Position> byJob = new HashMap<>();

    /** The jobs of {@code batch} whose last number must be read from Dragonfly before numbering. */
    Set<String> unknown(List<StreamEvent> batch, long nowMillis) {
        Set<String> unknown = new LinkedHashSet<>();
        for (StreamEvent event : batch) {
            Position position = byJob.computeIfAbsent(event.jobId(), id -> new Position());
            position.usedAtMillis = nowMillis;
            if (position.last < 0) {
                unknown.add(event.jobId());
            }
        }
        return unknown;
    }

    void learned(String jobId, long lastInStream) {
        Position position = byJob.get(jobId);
        position.last = lastInStream + position.lostBeforeKnown;
        position.lostBeforeKnown = 0;
    }

    /** The next number of a job whose position is known. */
    long next(String jobId) {
        return ++byJob.get(jobId).last;
    }

    /** An event that will never be written: its number is used up, known or not yet. */
    void lost(String jobId) {
        Position position = byJob.get(jobId);
        if (position.last < 0) {
            position.lostBeforeKnown++;
        } else {
            position.last++;
        }
    }

    /** The delivery left (or the stream refused a number): the next event reads the stream again. */
    void forget(String jobId) {
        byJob.remove(jobId);
    }

    void forgetIdle(long nowMillis) {
        for (Iterator<Position> it = byJob.values().iterator(); it.hasNext(); ) {
            if (nowMillis - it.next().usedAtMillis > IDLE_MILLIS) {
                it.remove();
            }
        }
    }

    int size() {
        return byJob.size();
    }
}
