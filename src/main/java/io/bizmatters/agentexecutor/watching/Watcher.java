package io.bizmatters.agentexecutor.watching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One watcher of one job: every event after {@code after}, once and in order, then the live
 * ones, until the terminal event. It joins the job's feed before it replays, keeping the live
 * events that arrive meanwhile, and drops whatever it has already sent, so replay and live
 * following meet without a hole or a repeat.
 */
final class Watcher {
    /** Where the events go: an HTTP response, in production. Calls must not block. */
    interface Sink {
        void event(StoredEvent event);

        /** The state that stands in for events the stream no longer holds, under SSE id {@code id}. */
        void snapshot(long id, String json);

        void close();
    }

    private final String jobId;
    private final Sink sink;
    private final List<StoredEvent> buffered = new ArrayList<>();
    private final CountDownLatch firstLive = new CountDownLatch(1);
    private final List<Runnable> onClose = new ArrayList<>();
    private long delivered;
    private boolean replaying = true;
    private boolean closed;

    Watcher(String jobId, long after, Sink sink) {
        this.jobId = jobId;
        this.delivered = after;
        this.sink = sink;
    }

    synchronized void onClose(Runnable action) {
        if (closed) {
            action.run();
        } else {
            onClose.add(action);
        }
    }

    /** A new event from the job's feed. */
    synchronized void live(StoredEvent event) {
        firstLive.countDown();
        if (closed) {
            return;
        }
        if (replaying) {
            buffered.add(event);
        } else {
            deliver(event);
        }
    }

    /** Waits for the job's first event, for a job not yet heard of. */
    boolean awaitFirstEvent(long seconds) throws InterruptedException {
        return firstLive.await(seconds, TimeUnit.SECONDS);
    }

    synchronized long delivered() {
        return delivered;
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Sends the events the stream holds after what this watcher has, then those kept meanwhile. */
    void replay(EventLog log) {
        List<StoredEvent> page;
        do {
            page = log.after(jobId, delivered());
            synchronized (this) {
                for (StoredEvent event : page) {
                    if (closed) {
                        return;
                    }
                    deliver(event);
                }
            }
        } while (page.size() == EventLog.PAGE);
        synchronized (this) {
            buffered.forEach(event -> {
                if (!closed) {
                    deliver(event);
                }
            });
            buffered.clear();
            replaying = false;
        }
    }

    synchronized void snapshot(long replacesUpTo, String json) {
        if (!closed && replacesUpTo > delivered) {
            sink.snapshot(replacesUpTo, json);
            delivered = replacesUpTo;
        }
    }

    private void deliver(StoredEvent event) {
        if (event.seq() <= delivered) {
            return;
        }
        sink.event(event);
        delivered = event.seq();
        if (event.terminal()) {
            close();
        }
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sink.close();
        onClose.forEach(Runnable::run);
        onClose.clear();
    }
}
