package io.bizmatters.agentexecutor.checkpoint;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Threads known to have no checkpoint yet: the claim of a job's first run learns so in its own
 * statement, so {@link PostgresCheckpointSaver} answers the engine's and LangGraph4j's reads before
 * the first step without a query (two commits per job). A thread leaves the set when the saver
 * writes its first checkpoint or the claiming delivery lets the job go; a thread that is not in
 * the set is read from the table as always, so a missing entry only costs a read.
 */
public final class NewThreads {
    private final Set<String> threadIds = ConcurrentHashMap.newKeySet();

    /** The claim found no checkpoint of the thread, and its delivery holds the job's lease. */
    public void add(String threadId) {
        threadIds.add(threadId);
    }

    /** The thread may have checkpoints from now on (or its delivery is over): read them from the table. */
    public void remove(String threadId) {
        threadIds.remove(threadId);
    }

    boolean contains(String threadId) {
        return threadIds.contains(threadId);
    }
}
