package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.failure.ReportedFailure;
import io.bizmatters.agentexecutor.ingress.Deliveries;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import org.apache.camel.Exchange;

/**
 * What the JetStream consumer does with a message once its exchange is done: JetStream's answer
 * to the failure the execution path reported ({@link ReportedFailure}), the way HTTP answers it
 * with a status. An exchange that ends with an unhandled exception is naked.
 */
public enum Disposition {
    /** The job is terminal and its result event is confirmed. */
    ACK,
    /** A dependency is down: redeliver later, after a delay that grows with each delivery. */
    NAK,
    /** The message can never be processed: its failed event is out, never redeliver it. */
    TERM;

    static void markJetStreamDelivery(Exchange exchange, Message message, boolean finalDelivery) {
        NatsJetStreamMetaData meta = message.metaData();
        Deliveries.markJetStream(exchange, meta.deliveredCount(), finalDelivery, meta.getStream() + "/" + meta.streamSequence(),
                meta.timestamp().toInstant(), JetStreamConsumer.nakDelay(meta.deliveredCount()));
    }

    static Disposition of(Exchange exchange) {
        if (exchange.getException() != null) {
            return NAK;
        }
        ReportedFailure reported = exchange.getProperty(ReportedFailure.PROPERTY, ReportedFailure.class);
        return reported == null ? ACK : of(reported);
    }

    /** A failure that ends the job terms its message (a failed job's is acked); one that may pass naks it. */
    static Disposition of(ReportedFailure reported) {
        return switch (reported.kind()) {
            case JOB_FAILURE -> ACK;
            case BAD_INPUT, RESUME_REJECTED -> TERM;
            case RUNNING_ELSEWHERE -> NAK;
            case INFRASTRUCTURE_FAULT, UNFORESEEN -> reported.retried() ? NAK : TERM;
        };
    }
}
