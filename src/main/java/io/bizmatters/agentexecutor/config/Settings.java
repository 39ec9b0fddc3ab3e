package io.bizmatters.agentexecutor.config;

import io.bizmatters.agentexecutor.agent.LimitSettings;
import io.bizmatters.agentexecutor.agent.graph.EngineSettings;
import io.bizmatters.agentexecutor.checkpoint.RetentionPolicy;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;

import java.time.Duration;
import java.util.Map;

/**
 * Every setting of the service, read from the environment variables of contract.md. Secrets
 * (passwords, API keys) are held here but never rendered by {@link #toString()}.
 *
 * @param maxConcurrentJobs jobs one pod runs at once (MAX_CONCURRENT_JOBS); JetStream fetches only
 *                          as many messages as there are free slots. See docs/architecture.md.
 * @param shutdownGrace     how long a stopping pod waits for running jobs (SHUTDOWN_GRACE_SECONDS)
 * @param limits            the default limits of a job and their ceilings (docs/job-control.md)
 */
public record Settings(PostgresSettings postgres, DragonflySettings dragonfly,
                       String natsUrl, String natsStreamName, String natsConsumerGroup,
                       int httpPort, String logLevel, EngineSettings engine, RetentionPolicy checkpointRetention,
                       String serviceName, int maxConcurrentJobs, Duration shutdownGrace, LimitSettings limits) {

    /** Bounded by memory, not CPU: a job mostly waits on its model. See docs/architecture.md. */
    public static final int DEFAULT_MAX_CONCURRENT_JOBS = 200;

    /** What stopping takes beyond the grace: the fetcher's last pull, naking what still runs, closing routes. */
    private static final Duration SHUTDOWN_OVERHEAD = Duration.ofSeconds(15);

    public static Settings fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        Settings settings = new Settings(
                PostgresSettings.read(reader),
                dragonfly(reader),
                reader.optional("NATS_URL", "nats://nats.nats.svc:4222"),
                reader.optional("NATS_STREAM_NAME", "AGENT_EXECUTION"),
                reader.optional("NATS_CONSUMER_GROUP", "agent-executor-workers"),
                reader.positiveInt("PORT", 8080),
                reader.optional("LOG_LEVEL", "INFO"),
                reader.section(EngineSettings::fromEnvironment),
                reader.section(RetentionPolicy::fromEnvironment),
                reader.optional("OTEL_SERVICE_NAME", "agent-executor-service"),
                reader.positiveInt("MAX_CONCURRENT_JOBS", DEFAULT_MAX_CONCURRENT_JOBS),
                Duration.ofSeconds(reader.positiveInt("SHUTDOWN_GRACE_SECONDS", 25)),
                reader.section(LimitSettings::fromEnvironment));
        reader.failOnProblems();
        return settings;
    }

    /**
     * How long Camel's shutdown may take after SIGTERM: it must outlast the consumer's drain, and a
     * deployment's termination grace period must outlast it (the platform tests check both).
     */
    public Duration shutdownTimeout() {
        return shutdownGrace.plus(SHUTDOWN_OVERHEAD);
    }

    private static DragonflySettings dragonfly(EnvironmentReader reader) {
        String host = reader.required("DRAGONFLY_HOST");
        int port = reader.positiveInt("DRAGONFLY_PORT", DragonflySettings.DEFAULT_PORT);
        String password = reader.secret("DRAGONFLY_PASSWORD");
        return host.isEmpty() ? null : new DragonflySettings(host, port, password);
    }

    @Override
    public String toString() {
        return postgres + ", " + dragonfly + ", nats " + withoutCredentials(natsUrl) + " stream " + natsStreamName + " consumer " + natsConsumerGroup
                + ", port " + httpPort + ", max concurrent jobs " + maxConcurrentJobs
                + ", shutdown grace " + shutdownGrace.toSeconds() + "s, service " + serviceName
                + ", " + engine + ", " + checkpointRetention + ", default limits " + (limits == null ? null : limits.defaults());
    }

    /** A NATS URL may carry user:password; logs get the host only. */
    private static String withoutCredentials(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
