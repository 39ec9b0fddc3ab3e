package io.bizmatters.agentexecutor.config;

import java.time.Duration;
import java.util.Map;

/**
 * Every setting of the service, read from the environment variables of contract.md. Secrets
 * (passwords, API keys) are held here but never rendered by {@link #toString()}.
 *
 * @param maxConcurrentJobs jobs one pod runs at once (MAX_CONCURRENT_JOBS); JetStream fetches only
 *                          as many messages as there are free slots. See docs/architecture.md.
 * @param shutdownGrace     how long a stopping pod waits for running jobs (SHUTDOWN_GRACE_SECONDS)
 */
public record Settings(PostgresSettings postgres,
                       String dragonflyHost, int dragonflyPort, String dragonflyPassword,
                       String natsUrl, String natsStreamName, String natsConsumerGroup,
                       int httpPort, String logLevel,
                       String openaiApiKey, String openaiBaseUrl,
                       String anthropicApiKey, String anthropicBaseUrl,
                       String serviceName, int maxConcurrentJobs, Duration shutdownGrace) {

    /** Bounded by memory, not CPU: a job mostly waits on its model. See docs/architecture.md. */
    public static final int DEFAULT_MAX_CONCURRENT_JOBS = 200;

    public static Settings fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        Settings settings = new Settings(
                PostgresSettings.read(reader),
                reader.required("DRAGONFLY_HOST"),
                reader.positiveInt("DRAGONFLY_PORT", 6379),
                reader.secret("DRAGONFLY_PASSWORD"),
                reader.optional("NATS_URL", "nats://nats.nats.svc:4222"),
                reader.optional("NATS_STREAM_NAME", "AGENT_EXECUTION"),
                reader.optional("NATS_CONSUMER_GROUP", "agent-executor-workers"),
                reader.positiveInt("PORT", 8080),
                reader.optional("LOG_LEVEL", "INFO"),
                reader.secret("OPENAI_API_KEY"),
                reader.optional("OPENAI_BASE_URL", ""),
                reader.secret("ANTHROPIC_API_KEY"),
                reader.optional("ANTHROPIC_BASE_URL", ""),
                reader.optional("OTEL_SERVICE_NAME", "agent-executor-service"),
                reader.positiveInt("MAX_CONCURRENT_JOBS", DEFAULT_MAX_CONCURRENT_JOBS),
                Duration.ofSeconds(reader.positiveInt("SHUTDOWN_GRACE_SECONDS", 25)));
        reader.failOnProblems();
        return settings;
    }

    @Override
    public String toString() {
        return postgres + ", dragonfly " + dragonflyHost + ":" + dragonflyPort
                + (dragonflyPassword.isEmpty() ? "" : " (password set)")
                + ", nats " + withoutCredentials(natsUrl) + " stream " + natsStreamName + " consumer " + natsConsumerGroup
                + ", port " + httpPort + ", max concurrent jobs " + maxConcurrentJobs
                + ", shutdown grace " + shutdownGrace.toSeconds() + "s, service " + serviceName
                + ", openai key " + (openaiApiKey.isEmpty() ? "not set" : "set")
                + ", anthropic key " + (anthropicApiKey.isEmpty() ? "not set" : "set");
    }

    /** A NATS URL may carry user:password; logs get the host only. */
    private static String withoutCredentials(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
