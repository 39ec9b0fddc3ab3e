package io.bizmatters.agentexecutor.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last row this saver wrote per thread, so the next checkpoint of that thread can be written
 * as a delta on it. Bounded: a forgotten thread only costs one whole-state row on its next put,
 * never correctness, so the least recently written threads are dropped first.
 */
final class WrittenStates {
    /** A row of the thread and the digests of the state it holds. */
    record Written(long rowId, Map<String, ChannelDigest> digests) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Written> byThread;

    WrittenStates(int maxThreads) {
        this.byThread = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
                return size() > maxThreads;
            }
        };
    }

    Optional<Written> last(String threadId) {
        lock.lock();
        try {
            return Optional.ofNullable(byThread.get(threadId));
        } finally {
            lock.unlock();
        }
    }

    void remember(String threadId, Written written) {
        lock.lock();
        try {
            byThread.put(threadId, written);
        } finally {
            lock.unlock();
        }
    }

    void forget(String threadId) {
        lock.lock();
        try {
            byThread.remove(threadId);
        } finally {
            lock.unlock();
        }
    }
}
