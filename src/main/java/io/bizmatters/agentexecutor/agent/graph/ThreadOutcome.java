package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;

import java.util.List;

/** Where one agent thread's run stopped: at its end, parked for decisions, or halted by a sibling. */
sealed interface ThreadOutcome {
    record Finished(DeepAgentState state) implements ThreadOutcome {
    }

    /** @param interrupts the calls that wait, in this thread or in branches under it */
    record Parked(DeepAgentState state, List<Interrupt> interrupts) implements ThreadOutcome {
    }

    /** Stopped before its next step because a sibling branch faulted or parked; its steps so far are checkpointed. */
    record Halted() implements ThreadOutcome {
    }
}
