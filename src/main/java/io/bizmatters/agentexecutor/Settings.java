package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.agent.LimitSettings;
import io.bizmatters.agentexecutor.agent.graph.EngineSettings;
import io.bizmatters.agentexecutor.checkpoint.RetentionPolicy;
import io.bizmatters.agentexecutor.config.HttpSettings;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.config.SettingsReader;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import io.bizmatters.agentexecutor.streaming.StreamSettings;
import org.apache.camel.spi.PropertiesComponent;

import java.time.Duration;
import java.util.Map;

/**
 * Every setting of the service: the typed settings of each capability, read from the service's
 * Camel properties, where application.properties gives each environment variable of
 * docs/contract.md its default. Secrets (passwords, API keys, the API token) are held here but
 * never rendered by {@link #toString()}.
 *
 * @param maxConcurrentJobs jobs one pod runs at once (MAX_CONCURRENT_JOBS); JetStream fetches only
 *                          as many messages as there are free slots. See docs/architecture.md.
 * @param shutdownGrace     how long a stopping pod waits for running jobs (SHUTDOWN_GRACE_SECONDS)
 * @param streams           bounds of each job's replayable event stream (STREAM_MAX_EVENTS, STREAM_RETENTION_SECONDS)
 * @param interruptTimeout  how long a parked job waits for decisions before it fails (AGENT_INTERRUPT_TIMEOUT_SECONDS)
 * @param maxIdLength       the longest job_id or trace_id a job may have (MAX_ID_LENGTH), over HTTP and NATS
 * @param http              access control and timeouts of the HTTP server ({@link HttpSettings})
 * @param limits            the default limits of a job and their ceilings (docs/job-control.md)
 */
public record Settings(PostgresSettings postgres, DragonflySettings dragonfly, StreamSettings streams,
                       String natsUrl, String natsStreamName, String natsConsumerGroup,
                       int httpPort, String logLevel, String logFormat, EngineSettings engine, RetentionPolicy checkpointRetention,
                       String serviceName, int maxConcurrentJobs, Duration shutdownGrace, Duration interruptTimeout,
                       HttpSettings http, int maxIdLength, LimitSettings limits) {

    /** What stopping takes beyond the grace: the fetcher's last pull, naking what still runs, closing routes. */
    private static final Duration SHUTDOWN_OVERHEAD = Duration.ofSeconds(15);

    /** The same reading over a given environment, for tests; start-up reads the running service's properties. */
    public static Settings fromEnvironment(Map<String, String> env) {
        return from(SettingsReader.of(env));
    }

    /** @throws io.bizmatters.agentexecutor.config.MissingSettings naming every bad or missing variable */
    public static Settings from(PropertiesComponent properties) {
        return from(new SettingsReader(properties));
    }

    private static Settings from(SettingsReader reader) {
        Settings settings = new Settings(
                PostgresSettings.from(reader),
                dragonfly(reader),
                new StreamSettings(reader.positiveInt("STREAM_MAX_EVENTS"),
                        Duration.ofSeconds(reader.positiveInt("STREAM_RETENTION_SECONDS"))),
                reader.text("NATS_URL"),
                reader.text("NATS_STREAM_NAME"),
                reader.text("NATS_CONSUMER_GROUP"),
                reader.positiveInt("PORT"),
                reader.text("LOG_LEVEL"),
                reader.text("LOG_FORMAT"),
                EngineSettings.from(reader),
                RetentionPolicy.from(reader),
                reader.text("OTEL_SERVICE_NAME"),
                reader.positiveInt("MAX_CONCURRENT_JOBS"),
                Duration.ofSeconds(reader.positiveInt("SHUTDOWN_GRACE_SECONDS")),
                Duration.ofSeconds(reader.positiveInt("AGENT_INTERRUPT_TIMEOUT_SECONDS")),
                HttpSettings.from(reader),
                reader.positiveInt("MAX_ID_LENGTH"),
                LimitSettings.from(reader));
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

    private static DragonflySettings dragonfly(SettingsReader reader) {
        String host = reader.required("DRAGONFLY_HOST");
        int port = reader.positiveInt("DRAGONFLY_PORT");
        String password = reader.secret("DRAGONFLY_PASSWORD");
        return host.isEmpty() ? null : new DragonflySettings(host, port, password);
    }

    @Override
    public String toString() {
        return postgres + ", " + dragonfly + ", " + streams + ", nats " + withoutCredentials(natsUrl) + " stream " + natsStreamName + " consumer " + natsConsumerGroup
                + ", port " + httpPort + ", max concurrent jobs " + maxConcurrentJobs
                + ", shutdown grace " + shutdownGrace.toSeconds() + "s, interrupt timeout " + interruptTimeout.toSeconds()
                + "s, service " + serviceName
                + ", " + engine + ", " + checkpointRetention + ", " + http + ", max id length " + maxIdLength
                + ", default limits " + limits.defaults();
    }

    /** A NATS URL may carry user:password; logs get the host only. */
    private static String withoutCredentials(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
