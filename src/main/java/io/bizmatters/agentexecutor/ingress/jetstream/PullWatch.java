package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Asks the server every {@link #PERIOD} how the consumer stands, through the same connection the
 * pulls use, and tells {@link PullHealth} when this pod has nothing to pull: no message pending,
 * max_ack_pending reached, or every job slot busy. When messages are pending and none arrives, or
 * the question itself gets no answer, progress stops and the stall shows.
 */
final class PullWatch {
    static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(PullWatch.class);

    private final JetStreamManagement management;
    private final String stream;
    private final String consumer;
    private final BooleanSupplier allSlotsBusy;
    private final PullHealth health;
    private boolean reportedStalled;
    private CompletableFuture<ConsumerInfo> question;

    PullWatch(JetStreamManagement management, String stream, String consumer, BooleanSupplier allSlotsBusy, PullHealth health) {
        this.management = management;
        this.stream = stream;
        this.consumer = consumer;
        this.allSlotsBusy = allSlotsBusy;
        this.health = health;
    }

    /** Runs until interrupted, one check every {@link #PERIOD} (an unanswered one included). */
    void run() {
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            check();
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, PERIOD.toNanos() - (System.nanoTime() - started))));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void check() {
        observe();
        boolean stalled = health.isStalled();
        if (stalled != reportedStalled) {
            reportedStalled = stalled;
            if (stalled) {
                LOG.warn("No pull of {}/{} has reached JetStream for {} s while messages may wait (num_pending {} at the last"
                        + " answer); /ready reports nats false until one does", stream, consumer,
                        health.sinceProgress().toSeconds(), health.pendingMessages());
            } else {
                LOG.info("Pulls of {}/{} reach JetStream again", stream, consumer);
            }
        }
    }

    private void observe() {
        if (allSlotsBusy.getAsBoolean()) {
            health.progressed();
            return;
        }
        // A request through a stuck connection can hang well past its timeout: ask on a thread of
        // its own, wait one period, and ask again only once it has returned.
        if (question == null || question.isDone()) {
            question = CompletableFuture.supplyAsync(this::consumerInfo, Thread::startVirtualThread);
        }
        ConsumerInfo info;
        try {
            info = question.get(PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return; // no answer is no progress: a stuck writer looks just like this
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        health.pendingMessages(info.getNumPending());
        long maxAckPending = info.getConsumerConfiguration().getMaxAckPending();
        if (info.getNumPending() == 0 || (maxAckPending > 0 && info.getNumAckPending() >= maxAckPending)) {
            health.progressed();
        }
    }

    private ConsumerInfo consumerInfo() {
        try {
            return management.getConsumerInfo(stream, consumer);
        } catch (IOException | JetStreamApiException e) {
            throw new CompletionException(e);
        }
    }
}
