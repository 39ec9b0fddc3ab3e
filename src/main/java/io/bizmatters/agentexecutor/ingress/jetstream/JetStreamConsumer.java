package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.Headers;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pulls messages only while job slots are free ({@link SlotPuller}), runs each on a virtual thread,
 * and settles it by its exchange's outcome ({@link Disposition}). {@link PullWatch} tells
 * {@link PullHealth} whether the pulls still reach the server. Long jobs are kept alive with in-progress acks;
 * stopping drains: no new fetch, running jobs get the grace period, the rest are handed back and
 * interrupted, so they stop before writing a checkpoint or a result beside the pod resuming them.
 */
class JetStreamConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamConsumer.class);
    private static final Duration ACK_CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_NAK_DELAY = Duration.ofSeconds(10);
    private static final Duration MAX_NAK_DELAY = Duration.ofMinutes(5);
    /** How long stopping waits for interrupted jobs to leave before it hands their messages back. */
    private static final Duration HAND_BACK_WAIT = Duration.ofSeconds(2);

    private final JetStreamEndpoint endpoint;
    /** Running jobs: each message with the thread that runs its job. */
    private final Map<Message, Thread> inFlight = new ConcurrentHashMap<>();
    /** Messages naked at shutdown while their job ran: another pod owns them now, nothing settles them here. */
    private final Set<Message> handedBack = ConcurrentHashMap.newKeySet();
    private Semaphore freeSlots;
    private long maxDeliver;
    private DeliveryListener listener;
    private ScheduledExecutorService inProgressAcks;
    private SlotPuller puller;
    private Thread fetcher;
    private Thread watcher;

    JetStreamConsumer(JetStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Connection connection = endpoint.getComponent().connection();
        JetStreamTopology topology = new JetStreamTopology(connection);
        topology.ensureStream(JetStreamTopology.stream(endpoint.getStream(), endpoint.getSubjects()));
        topology.ensureConsumer(endpoint.getStream(), JetStreamTopology.workers(endpoint.getConsumer(), endpoint.getSubjects()));
        ConsumerConfiguration consumer = connection.jetStreamManagement()
                .getConsumerInfo(endpoint.getStream(), endpoint.getConsumer()).getConsumerConfiguration();
        maxDeliver = consumer.getMaxDeliver();
        listener = endpoint.getComponent().deliveryListener();
        freeSlots = new Semaphore(endpoint.getMaxConcurrentJobs());

        // One timer for all running jobs, AckWait / 5 apart, so AckWait never expires under a job.
        long interval = Math.max(1_000, consumer.getAckWait().toMillis() / JetStreamTopology.IN_PROGRESS_DIVISOR);
        inProgressAcks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("jetstream-in-progress").factory());
        inProgressAcks.scheduleAtFixedRate(() -> inFlight.keySet().forEach(Message::inProgress), interval, interval, TimeUnit.MILLISECONDS);

        JetStreamSubscription subscription = connection.jetStream()
                .subscribe(null, PullSubscribeOptions.bind(endpoint.getStream(), endpoint.getConsumer()));
        PullHealth health = endpoint.getComponent().pullHealth();
        puller = new SlotPuller(connection, subscription, freeSlots, this::startJob, health,
                endpoint.getStream() + "/" + endpoint.getConsumer(), SlotPuller.PULL_EXPIRY);
        fetcher = Thread.ofVirtual().name("jetstream-pull-" + endpoint.getStream()).start(puller::run);
        PullWatch watch = new PullWatch(connection.jetStreamManagement(JetStreamOptions.builder()
                .requestTimeout(PullWatch.PERIOD).build()), endpoint.getStream(), endpoint.getConsumer(), puller::waitingForSlot, health);
        watcher = Thread.ofVirtual().name("jetstream-pull-watch-" + endpoint.getStream()).start(watch::run);
        LOG.info("Consuming {}/{} with up to {} jobs at once (ack_wait {}, in-progress acks every {} ms)", endpoint.getStream(),
                endpoint.getConsumer(), endpoint.getMaxConcurrentJobs(), consumer.getAckWait(), interval);
    }

    /** Runs the message's job on a virtual thread of its own; the job holds the slot the puller took for it. */
    private void startJob(Message message) {
        Thread job = Thread.ofVirtual().name("job-" + endpoint.getStream() + "-" + message.metaData().streamSequence())
                .unstarted(() -> runJob(message));
        inFlight.put(message, job);
        job.start();
    }

    private void runJob(Message message) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(message.getData());
            copyHeaders(message, exchange);
            Disposition.markJetStreamDelivery(exchange, message, isFinalDelivery(message));
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Job failed unhandled; its message is naked", exchange, exchange.getException());
            }
            if (!handedBack.remove(message)) {
                settle(message, Disposition.of(exchange));
            }
        } finally {
            inFlight.remove(message);
            releaseExchange(exchange, false);
            freeSlots.release();
        }
    }

    private boolean isFinalDelivery(Message message) {
        return maxDeliver > 0 && message.metaData().deliveredCount() >= maxDeliver;
    }

    private static void copyHeaders(Message message, Exchange exchange) {
        exchange.getIn().setHeader("JetStreamSubject", message.getSubject());
        exchange.getIn().setHeader("JetStreamStreamSequence", message.metaData().streamSequence());
        exchange.getIn().setHeader("JetStreamDeliveredCount", message.metaData().deliveredCount());
        Headers headers = message.getHeaders();
        if (headers != null) {
            headers.entrySet().forEach(h -> exchange.getIn().setHeader(h.getKey(), h.getValue().getFirst()));
        }
    }

    private void settle(Message message, Disposition disposition) {
        switch (disposition) {
            case ACK -> ackConfirmed(message);
            case TERM -> message.term();
            case NAK -> message.nakWithDelay(nakDelay(message.metaData().deliveredCount()));
        }
        listener.settled(disposition);
    }

    private void ackConfirmed(Message message) {
        try {
            message.ackSync(ACK_CONFIRM_TIMEOUT);
        } catch (TimeoutException e) {
            // The job is recorded as finished: a redelivery republishes its stored result, never reruns it.
            LOG.warn("JetStream did not confirm the ack of {} in {}; a redelivery will republish the stored result",
                    message.getSubject(), ACK_CONFIRM_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** 10 s, 30 s, 90 s, 270 s, then 5 min: with max_deliver 5 a job survives about 6 min of outage. */
    static Duration nakDelay(long deliveredCount) {
        long factor = (long) Math.pow(3, Math.max(0, Math.min(deliveredCount - 1, 10)));
        Duration delay = FIRST_NAK_DELAY.multipliedBy(factor);
        return delay.compareTo(MAX_NAK_DELAY) > 0 ? MAX_NAK_DELAY : delay;
    }

    @Override
    protected void doStop() throws Exception {
        if (watcher != null) {
            watcher.interrupt();
        }
        if (puller != null) {
            puller.stop();
            if (!fetcher.join(SlotPuller.PULL_EXPIRY.plusSeconds(2))) {
                fetcher.interrupt(); // blocked waiting for a free slot, not inside a pull
                fetcher.join();
            }
            int late = puller.handBackUnread();
            if (late > 0) {
                LOG.info("Handed back {} messages that arrived after the last pull", late);
            }
        }
        drainRunningJobs();
        if (inProgressAcks != null) {
            inProgressAcks.shutdownNow();
        }
        super.doStop();
    }

    private void drainRunningJobs() throws InterruptedException {
        int slots = endpoint.getMaxConcurrentJobs();
        if (freeSlots == null || freeSlots.tryAcquire(slots, endpoint.getShutdownGraceSeconds(), TimeUnit.SECONDS)) {
            if (freeSlots != null) {
                freeSlots.release(slots);
            }
            return;
        }
        // Still running after the grace period: hand the messages back now rather than after AckWait, and
        // stop the jobs. Left running while Camel finishes stopping, a job whose model answers in time would
        // write checkpoints beside the pod that resumed it (breaking its delta chain) and publish a second result.
        LOG.warn("{} jobs still running after {}s; naking their messages so another pod resumes them, and interrupting them",
                inFlight.size(), endpoint.getShutdownGraceSeconds());
        Map<Message, Thread> stuck = Map.copyOf(inFlight);
        stuck.forEach((message, job) -> {
            handedBack.add(message);
            job.interrupt();
        });
        // An interrupted job releases its job lease on its way out. Naked before that, the redelivery can
        // reach another pod while the lease is still held, and that pod backs off for 20 s or more.
        long deadline = System.nanoTime() + HAND_BACK_WAIT.toNanos();
        for (Thread job : stuck.values()) {
            job.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        stuck.keySet().forEach(Message::nak);
    }

}
