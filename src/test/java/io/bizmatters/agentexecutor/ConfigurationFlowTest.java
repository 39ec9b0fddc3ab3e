package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamEndpoint;
import io.bizmatters.agentexecutor.testsupport.CountingRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.apache.camel.CamelContext;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment reaches Camel Main, the routes and the typed settings through one path: a
 * service started on a map of variables runs its routes and Camel's own options with them,
 * and with the values computed from them, no relay in between.
 */
class ConfigurationFlowTest {
    private static final AtomicReference<SharedInfrastructure> INFRASTRUCTURE = new AtomicReference<>();
    private static TestServers.NatsServer nats;
    private static RunningService service;

    @BeforeAll
    static void start() {
        nats = TestServers.NatsServer.start();
        service = RunningService.start(Map.of("NATS_URL", nats.url(), "NATS_STREAM_NAME", "FLOW_JOBS",
                "NATS_CONSUMER_GROUP", "flow-workers", "MAX_CONCURRENT_JOBS", "7", "SHUTDOWN_GRACE_SECONDS", "9",
                "AGENT_INTERRUPT_TIMEOUT_SECONDS", "20"), infrastructure -> {
            INFRASTRUCTURE.set(infrastructure);
            return new CountingRunner();
        });
    }

    @AfterAll
    static void stop() {
        service.close();
        nats.close();
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
}
