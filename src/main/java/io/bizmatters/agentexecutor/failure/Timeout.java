package io.bizmatters.agentexecutor.failure;

/** The job ran past its deadline ({@code timeout_seconds} from its first start), in a step or between steps. */
public class Timeout extends JobFailure {
    public Timeout(String message) {
        super(message, true);
    }
}
