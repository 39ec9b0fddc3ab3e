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
 * The bounded hand-off between jobs and the publisher thread. Offering never blocks: when the
 * queue is full it makes room by dropping the oldest token event (or the offered one, if it is a
 * token and none is queued), else the oldest non-terminal event, else the offered one. One FIFO for all jobs keeps each job's events in order.
 */
final class StreamEventQueue {
    private final int capacity;
    private final Consumer<StreamEvent> onDrop;
    private final ArrayDeque<StreamEvent> events;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    StreamEventQueue(int capacity, Consumer<StreamEvent> onDrop) {
        this.capacity = capacity;
        this.onDrop = onDrop;
        this.events = new ArrayDeque<>(Math.min(capacity, 4096));
    }

    void offer(StreamEvent event) {
        StreamEvent dropped = null;
        lock.lock();
        try {
            if (events.size() >= capacity) {
                dropped = makeRoomFor(event);
            }
            if (dropped != event) {
                events.addLast(event);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        if (dropped != null) {
            onDrop.accept(dropped);
        }
    }

    /** @return the event given up: a queued one that was removed, or {@code incoming} itself */
    private StreamEvent makeRoomFor(StreamEvent incoming) {
        StreamEvent victim = removeFirst(event -> event.type().droppableFirst());
        if (victim == null && incoming.type().droppableFirst()) {
            return incoming;
        }
        if (victim == null) {
            victim = removeFirst(event -> !event.type().terminal());
        }
        return victim != null ? victim : incoming;
    }

    private StreamEvent removeFirst(Predicate<StreamEvent> eligible) {
        for (Iterator<StreamEvent> it = events.iterator(); it.hasNext(); ) {
            StreamEvent event = it.next();
            if (eligible.test(event)) {
                it.remove();
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
                batch.add(events.pollFirst());
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
