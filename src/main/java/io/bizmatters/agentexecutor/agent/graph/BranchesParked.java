package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;

import java.util.List;

/**
 * Thrown out of a tools step whose fan-out has branches waiting for decisions: the step is not
 * checkpointed, so the job's next run (the resume) runs it again, takes the finished branches'
 * results from their threads and continues the parked ones. Not a failure: the job parks.
 */
final class BranchesParked extends RuntimeException {
    private final transient List<Interrupt> interrupts;

    BranchesParked(List<Interrupt> interrupts) {
        super("branches wait for decisions", null, false, false);
        this.interrupts = List.copyOf(interrupts);
    }

    List<Interrupt> interrupts() {
        return interrupts;
    }
}
