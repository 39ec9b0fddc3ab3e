package io.bizmatters.agentexecutor.failure;

/**
 * A dependency the executor needs is down (PostgreSQL, the NATS publish). The job is not at
 * fault, so HTTP answers 503 and JetStream naks with a delay: the redelivery resumes from the
 * last checkpoint.
 */
public class InfrastructureFault extends RuntimeException {
    private final String dependency;

    public InfrastructureFault(String dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
    }

    /** One of {@code postgres}, {@code dragonfly}, {@code nats}. */
    public String dependency() {
        return dependency;
    }
}
