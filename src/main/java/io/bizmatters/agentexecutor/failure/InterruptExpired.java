package io.bizmatters.agentexecutor.failure;

import java.time.Duration;

/** A parked job waited longer than AGENT_INTERRUPT_TIMEOUT_SECONDS for its decisions: it fails with this type. */
public class InterruptExpired extends JobFailure {
    public InterruptExpired(Duration timeout) {
        super("the job waited for decisions on its tool calls for longer than AGENT_INTERRUPT_TIMEOUT_SECONDS ("
                + timeout.toSeconds() + " s) and expired");
    }
}
