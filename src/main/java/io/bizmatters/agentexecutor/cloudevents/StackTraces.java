package io.bizmatters.agentexecutor.cloudevents;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A failure's stack trace as a failed event reports it: the cause chain with each throwable's own
 * frames, cut at {@link #LIMIT} characters. Dropped are the frames every job passes through, which
 * tell nothing about the job and triple the trace: Camel's, Vert.x's and Netty's, the JDK's
 * reflection and thread plumbing, and a cause's frames it shares with the throwable that wraps it
 * (as the JDK's own {@code ... n more}).
 */
final class StackTraces {
    static final int LIMIT = 16_384;
    private static final String[] FRAMEWORKS = {"org.apache.camel.", "io.vertx.", "io.netty.",
            "jdk.internal.reflect.", "java.lang.reflect.", "java.lang.invoke.", "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ForkJoin", "java.lang.Thread.", "java.lang.VirtualThread."};

    private StackTraces() {
    }

    static String of(Throwable failure) {
        StringBuilder trace = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        StackTraceElement[] enclosing = new StackTraceElement[0];
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            trace.append(t == failure ? "" : "Caused by: ").append(t).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            int own = frames.length - inCommon(frames, enclosing);
            int omitted = 0;
            for (int i = 0; i < own; i++) {
                if (isFramework(frames[i].getClassName() + "." + frames[i].getMethodName())) {
                    omitted++;
                } else {
                    trace.append("\tat ").append(frames[i]).append('\n');
                }
            }
            if (omitted > 0) {
                trace.append("\t(").append(omitted).append(" framework frames omitted)\n");
            }
            if (own < frames.length) {
                trace.append("\t(").append(frames.length - own).append(" frames in common with the above)\n");
            }
            enclosing = frames;
        }
        if (trace.length() <= LIMIT) {
            return trace.toString();
        }
        return trace.substring(0, LIMIT) + "\n\t(stack trace cut at " + LIMIT + " characters)";
    }

    /** How many frames, counted from the outermost, a cause shares with the throwable that wraps it. */
    private static int inCommon(StackTraceElement[] frames, StackTraceElement[] enclosing) {
        int common = 0;
        for (int i = frames.length - 1, j = enclosing.length - 1; i >= 0 && j >= 0 && frames[i].equals(enclosing[j]); i--, j--) {
            common++;
        }
        return common;
    }

    private static boolean isFramework(String frame) {
        for (String framework : FRAMEWORKS) {
            if (frame.startsWith(framework)) {
                return true;
            }
        }
        return false;
    }
}
