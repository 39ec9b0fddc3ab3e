package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Asks the server every {@link #PERIOD} how the consumer stands, through the same connection the
 * pulls use, and tells {@link PullHealth} when this pod has nothing to pull: no message pending,
 * max_ack_pending reached, or every job slot busy. When messages are pending and none arrives, or
 * the question itself gets no answer, progress stops and the stall shows.
 */
final class PullWatch {
    static final Duration PERIOD = Duration.ofSeconds(2);

    private final JetStreamManagement management;
    private final String stream;
    private final String consumer;
    private final BooleanSupplier allSlotsBusy;
    private final PullHealth health;

    PullWatch(JetStreamManagement management, String stream, String consumer, BooleanSupplier allSlotsBusy, PullHealth health) {
        this.management = management;
        this.stream = stream;
        this.consumer = consumer;
        this.allSlotsBusy = allSlotsBusy;
        this.health = health;
    }

    /** Runs until interrupted. */
    void run() {
        while (!Thread.currentThread().isInterrupted()) {
            check();
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void check() {
        if (allSlotsBusy.getAsBoolean()) {
            health.progressed();
            return;
        }
        ConsumerInfo info;
        try {
            info = management.getConsumerInfo(stream, consumer);
        } catch (Exception e) {
            return; // no answer is no progress: a stuck writer looks just like this
        }
        health.pendingMessages(info.getNumPending());
        long maxAckPending = info.getConsumerConfiguration().getMaxAckPending();
        if (info.getNumPending() == 0 || (maxAckPending > 0 && info.getNumAckPending() >= maxAckPending)) {
            health.progressed();
        }
    }
}
