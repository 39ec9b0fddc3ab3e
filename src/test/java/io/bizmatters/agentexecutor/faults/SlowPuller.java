package io.bizmatters.agentexecutor.faults;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Nats;

/**
 * A stand-in instance for {@link PullSilenceWatchTest}, run as a process of its own: it pulls one message
 * twice a second from a consumer and never acks, until it is stopped.
 * Arguments: NATS URL, stream, consumer.
 */
public final class SlowPuller {
    private SlowPuller() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection nats = Nats.connect(args[0])) {
            ConsumerContext consumer = nats.getStreamContext(args[1]).getConsumerContext(args[2]);
            while (true) {
                try (FetchConsumer fetch = consumer.fetch(FetchConsumeOptions.builder().maxMessages(1).expiresIn(1_000).build())) {
                    while (fetch.nextMessage() != null) {
                        Thread.sleep(500);
                    }
                }
            }
        }
    }
}
