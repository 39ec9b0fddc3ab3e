package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.time.Instant;

/**
 * What the JetStream consumer does with a message once its exchange is done. The failure handlers
 * of the routes choose it; an exchange that ends with an unhandled exception is naked.
 */
public enum Disposition {
    /** The job is terminal and its result event is confirmed. */
    ACK,
    /** A dependency is down: redeliver later, after a delay that grows with each delivery. */
    NAK,
    /** The message can never be processed: its failed event is out, never redeliver it. */
    TERM;

    private static final String PROPERTY = "JetStreamDisposition";
    private static final String DELIVERY_PROPERTY = "JetStreamDelivery";
    private static final String FINAL_DELIVERY_PROPERTY = "JetStreamFinalDelivery";
    private static final String DELIVERY_COUNT_PROPERTY = "JetStreamDeliveryCount";
    private static final String MESSAGE_PROPERTY = "JetStreamMessage";
    private static final String STORED_AT_PROPERTY = "JetStreamStoredAt";

    /** Records how the message behind the exchange must be settled; no effect for HTTP exchanges. */
    public static void settle(Exchange exchange, Disposition disposition) {
        exchange.setProperty(PROPERTY, disposition);
    }

    /** True when the exchange came from a JetStream message rather than an HTTP request. */
    public static boolean cameFromJetStream(Exchange exchange) {
        return exchange.getProperty(DELIVERY_PROPERTY, false, Boolean.class);
    }

    /**
     * True when the exchange's message is on its last delivery (max_deliver): a nak would make the
     * server drop it silently, so a failure should be reported instead.
     */
    public static boolean isFinalDelivery(Exchange exchange) {
        return exchange.getProperty(FINAL_DELIVERY_PROPERTY, false, Boolean.class);
    }

    /** How many times the exchange's message was delivered, this time included; 1 for HTTP. */
    public static long deliveryCount(Exchange exchange) {
        return exchange.getProperty(DELIVERY_COUNT_PROPERTY, 1L, Long.class);
    }

    /** How long a nak of the exchange's message delays its redelivery; null for HTTP, whose caller decides. */
    public static Duration retryDelay(Exchange exchange) {
        return cameFromJetStream(exchange) ? JetStreamConsumer.nakDelay(deliveryCount(exchange)) : null;
    }

    /**
     * The message behind the exchange, as {@code <stream>/<stream sequence>}: what every delivery of
     * it repeats, whatever its delivery count says. Null for HTTP exchanges.
     */
    public static String messageIdentity(Exchange exchange) {
        return exchange.getProperty(MESSAGE_PROPERTY, String.class);
    }

    /** When the stream stored the exchange's message (the server's clock); null for HTTP exchanges. */
    public static Instant storedAt(Exchange exchange) {
        return exchange.getProperty(STORED_AT_PROPERTY, Instant.class);
    }

    static void markJetStreamDelivery(Exchange exchange, Message message, boolean finalDelivery) {
        NatsJetStreamMetaData meta = message.metaData();
        exchange.setProperty(DELIVERY_PROPERTY, true);
        exchange.setProperty(DELIVERY_COUNT_PROPERTY, meta.deliveredCount());
        exchange.setProperty(FINAL_DELIVERY_PROPERTY, finalDelivery);
        exchange.setProperty(MESSAGE_PROPERTY, meta.getStream() + "/" + meta.streamSequence());
        exchange.setProperty(STORED_AT_PROPERTY, meta.timestamp().toInstant());
    }

    static Disposition of(Exchange exchange) {
        return exchange.getException() != null ? NAK : exchange.getProperty(PROPERTY, ACK, Disposition.class);
    }
}
