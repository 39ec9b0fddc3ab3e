package io.bizmatters.agentexecutor.ingress.jetstream;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NakDelayTest {

    @Test
    void theRedeliveryDelayTriplesPerDeliveryUpToFiveMinutes() {
        assertThat(JetStreamConsumer.nakDelay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(JetStreamConsumer.nakDelay(2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(JetStreamConsumer.nakDelay(4)).isEqualTo(Duration.ofSeconds(270));
        assertThat(JetStreamConsumer.nakDelay(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(JetStreamConsumer.nakDelay(50)).isEqualTo(Duration.ofMinutes(5));
    }
}
