package io.bizmatters.agentexecutor.agent.graph;

/**
 * Tells the branches of one fan-out to stop before their next step: one of them faulted or parked,
 * and the job is handed back once each has checkpointed the step it was in. A halt of an outer
 * fan-out reaches the branches nested in it.
 */
final class Halt {
    private final Halt outer;
    private volatile boolean set;

    Halt(Halt outer) {
        this.outer = outer;
    }

    Halt nested() {
        return new Halt(this);
    }

    void set() {
        set = true;
    }

    boolean isSet() {
        return set || (outer != null && outer.isSet());
    }

    void check() {
        if (isSet()) {
            throw new Halted();
        }
    }

    /** Not a failure: the step did not start, and the branch resumes at it on the job's next run. */
    static final class Halted extends RuntimeException {
        Halted() {
            super("halted before its next step: a sibling branch faulted or parked", null, false, false);
        }
    }
}
