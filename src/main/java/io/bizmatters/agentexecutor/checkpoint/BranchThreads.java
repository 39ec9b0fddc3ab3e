package io.bizmatters.agentexecutor.checkpoint;

/**
 * How a branch of a job's run (a parallel tool call, a specialist) is named as a LangGraph thread,
 * and where its rows go: the job's {@code thread_id} and the {@code branch} column (migration V10).
 * The job id and the branch are joined by a control character, which a job id may not contain, so
 * no job id can be mistaken for another job's branch.
 */
public final class BranchThreads {
    private static final char SEPARATOR = '\u001F';

    private BranchThreads() {
    }

    /** The thread of branch {@code part} ("1/task/call_a") under the job's thread or under another branch. */
    public static String of(String parentThreadId, String part) {
        return parentThreadId.indexOf(SEPARATOR) < 0 ? parentThreadId + SEPARATOR + part : parentThreadId + "/" + part;
    }

    /** The thread as logs name it: the job id, and the branch when it is one. */
    public static String readable(String threadId) {
        Key key = key(threadId);
        return key.isJob() ? key.threadId() : key.threadId() + " branch " + key.branch();
    }

    /** A row's {@code thread_id} and {@code branch}. */
    record Key(String threadId, String branch) {
        boolean isJob() {
            return branch.isEmpty();
        }
    }

    static Key key(String threadId) {
        int at = threadId.indexOf(SEPARATOR);
        return at < 0 ? new Key(threadId, "") : new Key(threadId.substring(0, at), threadId.substring(at + 1));
    }
}
