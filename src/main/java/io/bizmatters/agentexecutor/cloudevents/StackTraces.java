package io.bizmatters.agentexecutor.cloudevents;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A failure's stack trace as a failed event reports it: the cause chain with each throwable's own
 * frames, without the Camel, Vert.x and Netty frames every job passes through (they tell nothing
 * about the job and triple the trace), cut at {@link #LIMIT} characters.
 */
final class StackTraces {
    static final int LIMIT = 16_384;
    private static final String[] FRAMEWORKS = {"org.apache.camel.", "io.vertx.", "io.netty."};

    private StackTraces() {
    }

    static String of(Throwable failure) {
        StringBuilder trace = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            trace.append(t == failure ? "" : "Caused by: ").append(t).append('\n');
            int omitted = 0;
            for (StackTraceElement frame : t.getStackTrace()) {
                if (isFramework(frame.getClassName())) {
                    omitted++;
                } else {
                    trace.append("\tat ").append(frame).append('\n');
                }
            }
            if (omitted > 0) {
                trace.append("\t(").append(omitted).append(" framework frames omitted)\n");
            }
        }
        if (trace.length() <= LIMIT) {
            return trace.toString();
        }
        return trace.substring(0, LIMIT) + "\n\t(stack trace cut at " + LIMIT + " characters)";
    }

    private static boolean isFramework(String className) {
        for (String framework : FRAMEWORKS) {
            if (className.startsWith(framework)) {
                return true;
            }
        }
        return false;
    }
}
