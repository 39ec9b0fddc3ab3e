package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.Connection;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * {@code jetstream:<stream>?consumer=<durable>}: consumes a durable pull consumer through jnats,
 * acking a message only after its exchange has completed. camel-nats 4.17 acks on receipt, which
 * would lose a job whose pod dies mid-run (docs/architecture.md). Uses the one NATS
 * {@link Connection} bound in the registry.
 */
public class JetStreamComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String stream, Map<String, Object> parameters) throws Exception {
        JetStreamEndpoint endpoint = new JetStreamEndpoint(uri, this, stream);
        setProperties(endpoint, parameters);
        if (endpoint.getConsumer() == null || endpoint.getConsumer().isBlank()) {
            throw new IllegalArgumentException("jetstream endpoint " + uri + " needs ?consumer=<durable name>");
        }
        return endpoint;
    }

    Connection connection() {
        Connection connection = getCamelContext().getRegistry().findSingleByType(Connection.class);
        if (connection == null) {
            throw new IllegalStateException("the jetstream component needs one io.nats.client.Connection in the registry");
        }
        return connection;
    }

    /** The registry's {@link PullHealth} (read by /ready and /metrics), or one of the consumer's own. */
    PullHealth pullHealth() {
        PullHealth health = getCamelContext().getRegistry().findSingleByType(PullHealth.class);
        return health != null ? health : new PullHealth();
    }

    DeliveryListener deliveryListener() {
        DeliveryListener listener = getCamelContext().getRegistry().findSingleByType(DeliveryListener.class);
        return listener != null ? listener : disposition -> { };
    }
}
