package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.impl.ErrorListenerLoggerImpl;
import io.nats.client.support.Status;

/**
 * jnats's logging error listener, without a warning for every pull that ends by expiring (a 408
 * every few seconds on an idle consumer: how {@link SlotPuller}'s pulls normally end).
 */
public class QuietPullStatus extends ErrorListenerLoggerImpl {
    @Override
    public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {
        if (status.getCode() != 408) {
            super.pullStatusWarning(conn, sub, status);
        }
    }
}
