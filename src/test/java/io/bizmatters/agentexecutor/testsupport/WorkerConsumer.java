package io.bizmatters.agentexecutor.testsupport;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service's durable consumer on AGENT_EXECUTION, as tests watch it settle messages. */
public final class WorkerConsumer {
    public static final String STREAM = "AGENT_EXECUTION";
    public static final String CONSUMER = "agent-executor-workers";

    private WorkerConsumer() {
    }

    /** Waits until the consumer has nothing delivered and unsettled, and nothing left to deliver. */
    public static void awaitNothingPending(Connection client) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConsumerInfo info = client.jetStreamManagement().getConsumerInfo(STREAM, CONSUMER);
            assertThat(info.getNumAckPending()).isZero();
            assertThat(info.getNumPending()).isZero();
        });
    }

    /**
     * Waits until every message up to {@code streamSequence} is settled. Acked and terminated
     * messages both move the ack floor and leave nothing pending: the server never redelivers them.
     */
    public static void awaitSettled(Connection client, long streamSequence) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ConsumerInfo info = client.jetStreamManagement().getConsumerInfo(STREAM, CONSUMER);
            assertThat(info.getAckFloor().getStreamSequence()).isGreaterThanOrEqualTo(streamSequence);
            assertThat(info.getNumAckPending()).isZero();
            assertThat(info.getNumPending()).isZero();
        });
    }
}
