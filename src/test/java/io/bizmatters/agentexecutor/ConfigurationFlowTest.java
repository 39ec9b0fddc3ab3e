package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamEndpoint;
import io.bizmatters.agentexecutor.testsupport.CountingRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.apache.camel.CamelContext;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment reaches Camel Main, the routes and the typed settings through one path: a
 * service started on a map of variables runs its routes and Camel's own options with them,
 * and with the values computed from them, no relay in between; and no secret reaches the log.
 */
class ConfigurationFlowTest {
    private static final AtomicReference<SharedInfrastructure> INFRASTRUCTURE = new AtomicReference<>();
    private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    private static final AbstractAppender CAPTURE = new AbstractAppender("configuration-flow", null, null, true,
            Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            LOGGED.add(event.getMessage().getFormattedMessage());
        }
    };
    private static TestServers.NatsServer nats;
    private static RunningService service;

    @BeforeAll
    static void start() {
        CAPTURE.start();
        rootLogger().addAppender(CAPTURE, null, null);
        logging().updateLoggers();
        nats = TestServers.NatsServer.start();
        Map<String, String> environment = new HashMap<>(Map.of("NATS_URL", nats.url(), "NATS_STREAM_NAME", "FLOW_JOBS",
                "NATS_CONSUMER_GROUP", "flow-workers", "MAX_CONCURRENT_JOBS", "7", "SHUTDOWN_GRACE_SECONDS", "9",
                "AGENT_INTERRUPT_TIMEOUT_SECONDS", "20"));
        environment.putAll(Map.of("OPENAI_API_KEY", "sk-flow-openai-secret", "ANTHROPIC_API_KEY", "flow-anthropic-secret",
                "API_TOKEN", "flow-api-token-secret"));
        service = RunningService.start(environment, infrastructure -> {
            INFRASTRUCTURE.set(infrastructure);
            return new CountingRunner();
        });
    }

    @AfterAll
    static void stop() {
        service.close();
        nats.close();
        rootLogger().removeAppender(CAPTURE.getName());
        logging().updateLoggers();
    }

    @Test
    void noSecretIsLoggedWhileTheServiceStarts() {
        assertThat(LOGGED).anyMatch(line -> line.startsWith("Starting with "))
                .noneMatch(line -> line.contains("sk-flow-openai-secret") || line.contains("flow-anthropic-secret")
                        || line.contains("flow-api-token-secret"));
    }

    @Test
    void theRoutesAndCamelMainReadTheEnvironmentAndWhatIsDerivedFromIt() {
        CamelContext camel = INFRASTRUCTURE.get().camelContext().get();

        JetStreamEndpoint jobs = (JetStreamEndpoint) camel.getRoute("ingress-jetstream").getEndpoint();
        assertThat(jobs.getStream()).isEqualTo("FLOW_JOBS");
        assertThat(jobs.getConsumer()).isEqualTo("flow-workers");
        assertThat(jobs.getMaxConcurrentJobs()).isEqualTo(7);
        assertThat(jobs.getShutdownGraceSeconds()).isEqualTo(9);
        assertThat(camel.getShutdownStrategy().getTimeout()).as("the grace plus the time to close the routes").isEqualTo(9 + 15);
        assertThat(((TimerEndpoint) camel.getRoute("interrupt-expiry").getEndpoint()).getPeriod())
                .as("a quarter of the interrupt timeout").isEqualTo(5_000);
        assertThat(service.get("/health").statusCode()).as("camel.server.port is PORT").isEqualTo(200);
    }

    private static LoggerContext logging() {
        return (LoggerContext) LogManager.getContext(false);
    }

    private static LoggerConfig rootLogger() {
        return logging().getConfiguration().getRootLogger();
    }
}
