package io.bizmatters.agentexecutor.failure;

/**
 * A dependency the executor needs is down (PostgreSQL, the NATS publish, a model provider that
 * stays unavailable after retries, a tool's backend). The job is not at
 * fault, so HTTP answers 503 and JetStream naks with a delay: the redelivery resumes from the
 * last checkpoint.
 */
public class InfrastructureFault extends ClassifiedFailure {
    private final String dependency;

    public InfrastructureFault(String dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
    }

    /** {@code postgres}, {@code dragonfly}, {@code nats}, {@code model}, or a tool's own dependency name. */
    public String dependency() {
        return dependency;
    }

    /** The dependency that failed, or {@code internal} for a failure no dependency explains. */
    public static String dependencyOf(Throwable fault) {
        return fault instanceof InfrastructureFault infrastructure ? infrastructure.dependency() : "internal";
    }

    @Override
    public FailureKind kind() {
        return FailureKind.INFRASTRUCTURE_FAULT;
    }
}
