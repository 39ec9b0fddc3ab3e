package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Pulls messages for free job slots only, on one pull subscription that lives as long as the
 * consumer. The server ends a pull by its own clock, so a message can arrive after the client
 * stopped waiting for that pull. jnats's {@code FetchConsumer} unsubscribes at the end of each
 * fetch, and such a message was dropped while the server counted it delivered: issue 7's jobs,
 * fetched and never run until AckWait. Here it is simply read in the next round, with a slot.
 */
final class SlotPuller {
    /** How long one pull request of the service waits on the server for messages. */
    static final Duration PULL_EXPIRY = Duration.ofSeconds(3);
    /** How long past a pull's expiry its last messages may still be on their way. */
    private static final Duration LATE_ARRIVAL = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(SlotPuller.class);

    private final Connection connection;
    private final JetStreamSubscription subscription;
    private final Semaphore freeSlots;
    private final Consumer<Message> dispatch;
    private final PullHealth health;
    private final String name;
    private final Duration pullExpiry;
    private volatile boolean running = true;
    private volatile boolean waitingForSlot;

    /** @param dispatch starts a job for a message; it owns one slot taken from {@code freeSlots} */
    SlotPuller(Connection connection, JetStreamSubscription subscription, Semaphore freeSlots,
               Consumer<Message> dispatch, PullHealth health, String name, Duration pullExpiry) {
        this.pullExpiry = pullExpiry;
        this.connection = connection;
        this.subscription = subscription;
        this.freeSlots = freeSlots;
        this.dispatch = dispatch;
        this.health = health;
        this.name = name;
    }

    void run() {
        while (running) {
            int reserved = 0;
            try {
                waitingForSlot = true;
                freeSlots.acquire();
                waitingForSlot = false;
                reserved = 1 + freeSlots.drainPermits();
                if (!running) {
                    return;
                }
                if (connection.getStatus() != Connection.Status.CONNECTED) {
                    // A pull written now would wait in the reconnect buffer and reach the server late, beside newer ones.
                    Thread.sleep(LATE_ARRIVAL);
                    continue;
                }
                reserved = pullInto(reserved);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Pulling from {} failed, retrying: {}", name, e.toString());
                sleepQuietly(pullExpiry);
            } finally {
                waitingForSlot = false;
                freeSlots.release(reserved);
            }
        }
    }

    /** @return the reserved slots that no message took */
    private int pullInto(int reserved) throws InterruptedException {
        subscription.pull(PullRequestOptions.builder(reserved).expiresIn(pullExpiry).build());
        long started = System.nanoTime();
        long deadline = started + pullExpiry.plus(LATE_ARRIVAL).toNanos();
        while (reserved > 0 && running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Message message = subscription.nextMessage(Duration.ofNanos(left));
            if (message == null) {
                // The server ended a pull (408). Early on that is an earlier pull's late answer: keep reading.
                if (System.nanoTime() - started >= pullExpiry.toNanos() * 9 / 10) {
                    break;
                }
                continue;
            }
            health.progressed();
            dispatch.accept(message);
            reserved--;
        }
        return reserved;
    }

    /** True while every slot is busy: the pod wants no message, so not pulling is no stall. */
    boolean waitingForSlot() {
        return waitingForSlot;
    }

    /** Ends the loop within one pull's wait. */
    void stop() {
        running = false;
    }

    /**
     * Messages that arrived after the last round (a late answer) and that no job will take: they
     * go back at once rather than after AckWait. Then the subscription ends.
     */
    int handBackUnread() throws InterruptedException {
        int handedBack = 0;
        try {
            for (Message late = subscription.nextMessage(Duration.ofMillis(100)); late != null;
                 late = subscription.nextMessage(Duration.ofMillis(100))) {
                late.nak();
                handedBack++;
            }
            subscription.unsubscribe();
        } catch (RuntimeException e) {
            // the subscription is gone (NATS closed it): what it held comes back after AckWait
            LOG.warn("Could not hand back unread messages of {}: {}", name, e.toString());
        }
        return handedBack;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
