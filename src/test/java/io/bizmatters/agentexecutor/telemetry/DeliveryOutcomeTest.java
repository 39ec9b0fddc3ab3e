package io.bizmatters.agentexecutor.telemetry;

import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.opentelemetry.api.trace.Span;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The status a delivery's end line and span report, for each way a delivery ends. */
class DeliveryOutcomeTest {
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    private final Delivery delivery = new Delivery("job-1", "trace-1", "http", 1, Span.getInvalid());

    @Test
    void aDeliveryThatRanTheEngineEndsCompletedOrInterruptedWhenItParked() {
        delivery.engineStarted(Span.getInvalid().getSpanContext());
        assertThat(DeliveryOutcome.of(exchange, delivery)).isEqualTo(new DeliveryOutcome("completed", null));

        delivery.engineParked();
        assertThat(DeliveryOutcome.of(exchange, delivery)).isEqualTo(new DeliveryOutcome("interrupted", null));
    }

    @Test
    void aDeliveryThatDidNotRunTheEngineRepublished() {
        assertThat(DeliveryOutcome.of(exchange, delivery).status()).isEqualTo("republished");
    }

    @Test
    void aCancelledJobEndsCancelledNotFailed() {
        exchange.setException(new Cancelled("stopped by the operator"));
        assertThat(DeliveryOutcome.of(exchange, delivery)).isEqualTo(new DeliveryOutcome("cancelled", "Cancelled"));

        exchange.setException(new JobFailure("the model refused"));
        assertThat(DeliveryOutcome.of(exchange, delivery).status()).isEqualTo("failed");

        exchange.setException(new BadInput("job_id", "job_id is required"));
        assertThat(DeliveryOutcome.of(exchange, delivery).status()).isEqualTo("rejected");
    }
}
