package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.ingress.jetstream.QuietPullStatus;
import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamTopology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/** The service's one NATS connection, which keeps reconnecting, and the result stream it publishes into. */
final class NatsConnections {
    private static final Logger LOG = LoggerFactory.getLogger(NatsConnections.class);

    private NatsConnections() {
    }

    static Connection open(Settings settings) throws Exception {
        Options options = Options.builder()
                .server(settings.natsUrl())
                .connectionName(settings.serviceName())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1))
                .errorListener(new QuietPullStatus())
                .build();
        try {
            return Nats.connect(options);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot connect to NATS at NATS_URL: " + e.getMessage(), e);
        }
    }

    /** A platform-made stream may already capture agent.status.*; results are published into it then. */
    static void ensureStatusStream(Connection nats) throws IOException {
        try {
            new JetStreamTopology(nats).ensureStream(
                    JetStreamTopology.resultStream(ResultEventPublisher.STATUS_STREAM, "agent.status.*"));
        } catch (JetStreamApiException e) {
            LOG.warn("Cannot create stream {} ({}); result events rely on an existing stream capturing agent.status.*",
                    ResultEventPublisher.STATUS_STREAM, e.getMessage());
        }
    }
}
