package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.failure.FailureKind;
import io.bizmatters.agentexecutor.failure.LimitExceeded;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * What one tool call of a {@link FanOut} ended in, and how a failure of one call reaches its
 * siblings.
 *
 * <p>Isolation: a call that fails as the job's agents' own problem (a tool that broke, a specialist
 * whose model refused it) gives its {@code Error: ...} text as its result, and its siblings carry
 * on. An infrastructure fault or a parked branch halts the siblings before their next step, and
 * once each has checkpointed the step it was in, the fault propagates (the job is redelivered) or
 * the job parks. A stop (cancel, deadline), a job limit and bad input interrupt the siblings at once.
 */
sealed interface CallOutcome {
    /** @param branchThread the specialist's branch the join releases; null for a tool */
    record Done(TurnJoin.Result result, String branchThread) implements CallOutcome {
    }

    record Parked(List<Interrupt> interrupts) implements CallOutcome {
    }

    record Halted() implements CallOutcome {
    }

    /** @param fatal true when the siblings are interrupted rather than let finish their step */
    record Failed(RuntimeException failure, boolean fatal) implements CallOutcome {
        /** An outage lets the siblings checkpoint the step they are in, so the redelivery resumes after it. */
        static Failed of(RuntimeException failure) {
            return new Failed(failure, FailureKind.of(failure) != FailureKind.INFRASTRUCTURE_FAULT);
        }
    }

    /**
     * A classified failure the calling agent reads as the call's result, rather than one the whole
     * job stops for: a job failure of the call's own, but not a limit, which is the job's budget and
     * not the call's, nor a stop from outside that surfaced inside the call.
     */
    static boolean isolated(RuntimeException failure, JobControl control) {
        return FailureKind.of(failure) == FailureKind.JOB_FAILURE && !(failure instanceof LimitExceeded)
                && control.stopped().isEmpty();
    }

    /** Whether the calls still at work are interrupted at once. */
    static boolean stopsSiblings(CallOutcome outcome) {
        return outcome instanceof Failed failed && failed.fatal();
    }

    /** The outcome of a call that has ended: a cancelled call was halted by a sibling's failure. */
    static CallOutcome of(Future<CallOutcome> future) {
        try {
            return future.get();
        } catch (CancellationException e) {
            return new Halted();
        } catch (ExecutionException e) {
            return Failed.of(GraphFailures.classify(new RuntimeException(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Halted();
        }
    }

    /**
     * Every call's {@link Done}, in the calls' order, or the one thing the turn stops for: fatal
     * failures first (as the stop, when one caused them), then faults, then parked branches (one
     * resume decides them all), then a halt from outside.
     */
    static List<Done> allDone(List<CallOutcome> outcomes, JobControl control) {
        for (CallOutcome outcome : outcomes) {
            if (stopsSiblings(outcome)) {
                throw control.stopped().<RuntimeException>map(stop -> stop).orElse(((Failed) outcome).failure());
            }
        }
        for (CallOutcome outcome : outcomes) {
            if (outcome instanceof Failed failed) {
                throw failed.failure();
            }
        }
        List<Interrupt> waiting = outcomes.stream().filter(Parked.class::isInstance)
                .flatMap(o -> ((Parked) o).interrupts().stream()).toList();
        if (!waiting.isEmpty()) {
            throw new BranchesParked(waiting);
        }
        if (outcomes.stream().anyMatch(Halted.class::isInstance)) {
            throw new Halt.Halted();
        }
        return outcomes.stream().map(Done.class::cast).toList();
    }
}
