package io.bizmatters.agentexecutor.config;

import io.bizmatters.agentexecutor.agent.LimitSettings;
import io.bizmatters.agentexecutor.agent.graph.EngineSettings;
import io.bizmatters.agentexecutor.checkpoint.RetentionPolicy;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;

import java.time.Duration;
import java.util.Map;

/**
 * Every setting of the service, read from the environment variables of docs/contract.md. Secrets
 * (passwords, API keys) are held here but never rendered by {@link #toString()}.
 *
 * @param maxConcurrentJobs jobs one pod runs at once (MAX_CONCURRENT_JOBS); JetStream fetches only
 *                          as many messages as there are free slots. See docs/architecture.md.
 * @param shutdownGrace     how long a stopping pod waits for running jobs (SHUTDOWN_GRACE_SECONDS)
 * @param interruptTimeout  how long a parked job waits for decisions before it fails (AGENT_INTERRUPT_TIMEOUT_SECONDS)
 * @param maxIdLength       the longest job_id or trace_id a job may have (MAX_ID_LENGTH), over HTTP and NATS
 * @param http              access control and timeouts of the HTTP server ({@link HttpSettings})
 * @param limits            the default limits of a job and their ceilings (docs/job-control.md)
 */
public record Settings(PostgresSettings postgres, DragonflySettings dragonfly,
                       String natsUrl, String natsStreamName, String natsConsumerGroup,
                       int httpPort, String logLevel, EngineSettings engine, RetentionPolicy checkpointRetention,
                       String serviceName, int maxConcurrentJobs, Duration shutdownGrace, Duration interruptTimeout,
                       HttpSettings http, int maxIdLength, LimitSettings limits) {

    /** Bounded by memory, not CPU: a job mostly waits on its model. See docs/architecture.md. */
    public static final int DEFAULT_MAX_CONCURRENT_JOBS = 200;

    /** Seven days: a person may take a weekend to decide; a parked job costs only its row and checkpoints. */
    public static final int DEFAULT_INTERRUPT_TIMEOUT_SECONDS = 7 * 24 * 3600;

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
                Duration.ofSeconds(reader.positiveInt("AGENT_INTERRUPT_TIMEOUT_SECONDS", DEFAULT_INTERRUPT_TIMEOUT_SECONDS)),
                HttpSettings.read(reader),
                reader.positiveInt("MAX_ID_LENGTH", 256),
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

    /** How often the interrupt-expiry route sweeps: a quarter of the timeout, between 1 s and 1 min. */
    public Duration interruptSweepPeriod() {
        long millis = Math.clamp(interruptTimeout.toMillis() / 4, 1_000L, 60_000L);
        return Duration.ofMillis(millis);
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
                + ", shutdown grace " + shutdownGrace.toSeconds() + "s, interrupt timeout " + interruptTimeout.toSeconds()
                + "s, service " + serviceName
                + ", " + engine + ", " + checkpointRetention + ", " + http + ", max id length " + maxIdLength
                + ", default limits " + (limits == null ? null : limits.defaults());
    }

    /** A NATS URL may carry user:password; logs get the host only. */
    private static String withoutCredentials(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
