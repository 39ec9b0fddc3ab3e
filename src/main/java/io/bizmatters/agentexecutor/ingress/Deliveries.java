package io.bizmatters.agentexecutor.ingress;

import org.apache.camel.Exchange;

import java.time.Duration;
import java.time.Instant;

/**
 * What an ingress records on an exchange about the delivery it came in, for the execution path to
 * read without knowing the transport: whether a queue delivered it (and will deliver it again),
 * which message it is, when that was stored. An HTTP request has none of it.
 */
public final class Deliveries {
    private static final String DELIVERY_PROPERTY = "JetStreamDelivery";
    private static final String FINAL_DELIVERY_PROPERTY = "JetStreamFinalDelivery";
    private static final String DELIVERY_COUNT_PROPERTY = "JetStreamDeliveryCount";
    private static final String MESSAGE_PROPERTY = "JetStreamMessage";
    private static final String STORED_AT_PROPERTY = "JetStreamStoredAt";
    private static final String RETRY_DELAY_PROPERTY = "JetStreamRetryDelay";

    private Deliveries() {
    }

    /**
     * Marks the exchange as a JetStream message's delivery.
     *
     * @param identity   the message as {@code <stream>/<stream sequence>}
     * @param retryDelay how long a retry of this delivery waits for its redelivery
     */
    public static void markJetStream(Exchange exchange, long count, boolean finalDelivery, String identity,
                                     Instant storedAt, Duration retryDelay) {
        exchange.setProperty(DELIVERY_PROPERTY, true);
        exchange.setProperty(DELIVERY_COUNT_PROPERTY, count);
        exchange.setProperty(FINAL_DELIVERY_PROPERTY, finalDelivery);
        exchange.setProperty(MESSAGE_PROPERTY, identity);
        exchange.setProperty(STORED_AT_PROPERTY, storedAt);
        exchange.setProperty(RETRY_DELAY_PROPERTY, retryDelay);
    }

    /** True when the exchange came from a JetStream message rather than an HTTP request. */
    public static boolean cameFromJetStream(Exchange exchange) {
        return exchange.getProperty(DELIVERY_PROPERTY, false, Boolean.class);
    }

    /**
     * True when the exchange's message is on its last delivery (max_deliver): a retry would make the
     * server drop it silently, so a failure should be reported instead.
     */
    public static boolean isFinalDelivery(Exchange exchange) {
        return exchange.getProperty(FINAL_DELIVERY_PROPERTY, false, Boolean.class);
    }

    /** How many times the exchange's message was delivered, this time included; 1 for HTTP. */
    public static long deliveryCount(Exchange exchange) {
        return exchange.getProperty(DELIVERY_COUNT_PROPERTY, 1L, Long.class);
    }

    /** How long a retry of the exchange's message delays its redelivery; null for HTTP, whose caller decides. */
    public static Duration retryDelay(Exchange exchange) {
        return exchange.getProperty(RETRY_DELAY_PROPERTY, Duration.class);
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
}
