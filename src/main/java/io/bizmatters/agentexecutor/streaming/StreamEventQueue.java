package io.bizmatters.agentexecutor.streaming;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The bounded hand-off between jobs and the publisher thread, limited in events and in bytes of
 * JSON (state updates carry whole files). Offering never blocks: when a limit is reached it
 * makes room by dropping the oldest token event (or the offered one, if it is a token and none is
 * queued), else the oldest non-terminal event, else the offered one. One FIFO for all jobs keeps
 * each job's events in order.
 */
final class StreamEventQueue {
    private final int maxEvents;
    private final long maxBytes;
    private final Consumer<StreamEvent> onDrop;
    private final ArrayDeque<StreamEvent> events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private long queuedBytes;

    StreamEventQueue(int maxEvents, long maxBytes, Consumer<StreamEvent> onDrop) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.onDrop = onDrop;
        this.events = new ArrayDeque<>(Math.min(maxEvents, 4096));
    }

    void offer(StreamEvent event) {
        List<StreamEvent> dropped = List.of();
        lock.lock();
        try {
            boolean admitted = true;
            while (admitted && (events.size() >= maxEvents || queuedBytes + event.size() > maxBytes)) {
                StreamEvent victim = makeRoomFor(event);
                admitted = victim != event;
                dropped = dropped.isEmpty() ? new ArrayList<>(2) : dropped;
                dropped.add(victim);
            }
            if (admitted) {
                events.addLast(event);
                queuedBytes += event.size();
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        dropped.forEach(onDrop);
    }

    /** @return the event given up: a queued one that was removed, or {@code incoming} itself */
    private StreamEvent makeRoomFor(StreamEvent incoming) {
        StreamEvent victim = removeFirst(event -> event.type().droppableFirst());
        if (victim == null && incoming.type().droppableFirst()) {
            return incoming;
        }
        if (victim == null) {
            victim = removeFirst(event -> !event.type().keptWhenFull());
        }
        return victim != null ? victim : incoming;
    }

    private StreamEvent removeFirst(Predicate<StreamEvent> eligible) {
        for (Iterator<StreamEvent> it = events.iterator(); it.hasNext(); ) {
            StreamEvent event = it.next();
            if (eligible.test(event)) {
                it.remove();
                queuedBytes -= event.size();
                return event;
            }
        }
        return null;
    }

    /** Moves up to {@code max} events into {@code batch}, waiting up to {@code waitMillis} for the first. */
    void takeBatch(List<StreamEvent> batch, int max, long waitMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (events.isEmpty() && nanos > 0) {
                nanos = notEmpty.awaitNanos(nanos);
            }
            while (batch.size() < max && !events.isEmpty()) {
                StreamEvent event = events.pollFirst();
                queuedBytes -= event.size();
                batch.add(event);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Empties the queue, for events that will never be published. */
    List<StreamEvent> takeRemaining() {
        lock.lock();
        try {
            List<StreamEvent> remaining = new ArrayList<>(events);
            events.clear();
            queuedBytes = 0;
            return remaining;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }
}
