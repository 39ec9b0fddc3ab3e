package io.bizmatters.agentexecutor.deployment;

import java.time.Duration;
import java.util.Set;

/**
 * What the deployment must agree with in the service itself (../shared/contract.md and the
 * lead's additions): its environment variables, port, probe paths and JetStream set-up.
 */
final class ServiceContract {

    /**
     * Every environment variable the service reads. One list for all deployment checks;
     * it should come from the service's settings class once that exists.
     */
    static final Set<String> ENVIRONMENT = Set.of(
            "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_SCHEMA",
            "DRAGONFLY_HOST", "DRAGONFLY_PORT", "DRAGONFLY_PASSWORD",
            "NATS_URL", "NATS_STREAM_NAME", "NATS_CONSUMER_GROUP",
            "PORT", "LOG_LEVEL", "OTEL_SERVICE_NAME", "MAX_CONCURRENT_JOBS",
            "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "OLLAMA_BASE_URL");

    /** Those without a default: a pod without them cannot start. */
    static final Set<String> REQUIRED_ENVIRONMENT = Set.of("POSTGRES_HOST", "POSTGRES_PASSWORD", "DRAGONFLY_HOST");

    /** Never in a manifest in clear: they come from Secrets. */
    static final Set<String> SECRET_ENVIRONMENT = Set.of(
            "POSTGRES_PASSWORD", "DRAGONFLY_PASSWORD", "OPENAI_API_KEY", "ANTHROPIC_API_KEY");

    static final int PORT = 8080;
    static final String HEALTH_PATH = "/health";
    static final String READY_PATH = "/ready";
    static final String METRICS_PATH = "/metrics";

    static final String JOB_STREAM = "AGENT_EXECUTION";
    static final String JOB_SUBJECTS = "agent.execute.*";
    static final String RESULT_STREAM = "AGENT_STATUS";
    static final String RESULT_SUBJECTS = "agent.status.*";
    static final Duration STREAM_MAX_AGE = Duration.ofHours(24);
    static final String CONSUMER = "agent-executor-workers";
    static final Duration ACK_WAIT = Duration.ofSeconds(300);
    static final int MAX_DELIVER = 3;

    private ServiceContract() {
    }
}
