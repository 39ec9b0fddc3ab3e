package io.bizmatters.agentexecutor.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import redis.clients.jedis.Jedis;

/**
 * Streams job events to Dragonfly without ever holding up a job: {@link JobEvents} calls only
 * serialize and enqueue; one publisher thread drains the queue and sends each batch as one
 * pipeline over its own connection, a {@code PUBLISH} and an {@code XADD} per event
 * ({@link StreamWriter}), so events reach the channel and the replayable stream in the order they
 * were emitted. When Dragonfly is away, the batch in flight is counted as failed, the thread
 * reconnects with backoff, and only the stream suffers (docs/events.md).
 */
public final class DragonflyJobEventPublisher implements JobEventPublisher, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(DragonflyJobEventPublisher.class);
    static final int DEFAULT_QUEUE_CAPACITY = 50_000;
    /** 64 MiB of queued JSON: a state update carries every file, so counting events alone is not a bound. */
    static final long QUEUE_MAX_BYTES = 64L * 1024 * 1024;
    static final int BATCH_SIZE = 512;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

    private final DragonflySettings settings;
    private final StreamWriter writer;
    private final StreamEventQueue queue;
    /** The stream of each job running here, so a failure report after the engine speaks for the same agents. */
    private final Map<String, JobStream> running = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<StreamEventType, Counter> published = new EnumMap<>(StreamEventType.class);
    private final Map<StreamEventType, Counter> dropped = new EnumMap<>(StreamEventType.class);
    private final Counter errors;
    private final Thread publisher;
    private volatile boolean closing;
    private Jedis connection;
    private long backoffMillis;

    public DragonflyJobEventPublisher(DragonflySettings settings, StreamSettings streams, MeterRegistry meters) {
        this(settings, streams, meters, DEFAULT_QUEUE_CAPACITY);
    }

    DragonflyJobEventPublisher(DragonflySettings settings, StreamSettings streams, MeterRegistry meters, int queueCapacity) {
        this.settings = settings;
        this.writer = new StreamWriter(streams);
        for (StreamEventType type : StreamEventType.values()) {
            published.put(type, Counter.builder("agent_executor_redis_publish_total")
                    .description("Stream events published to Dragonfly").tag("event_type", type.wireName())
                    .register(meters));
            dropped.put(type, Counter.builder("agent_executor_redis_publish_dropped_total")
                    .description("Stream events dropped because the publish queue was full or closed")
                    .tag("event_type", type.wireName()).register(meters));
        }
        this.errors = Counter.builder("agent_executor_redis_publish_errors_total")
                .description("Stream events that could not be published to Dragonfly").register(meters);
        this.queue = new StreamEventQueue(queueCapacity, QUEUE_MAX_BYTES, event -> dropped.get(event.type()).increment());
        Gauge.builder("agent_executor_redis_publish_queue_size", queue, StreamEventQueue::size)
                .description("Stream events waiting for the publisher thread").register(meters);
        this.publisher = Thread.ofPlatform().daemon().name("dragonfly-publisher").unstarted(this::publishUntilClosed);
    }

    public void start() {
        LOG.info("Streaming job events to {}", settings);
        publisher.start();
    }

    @Override
    public JobEvents forJob(String jobId) {
        return running.computeIfAbsent(jobId, id -> new JobStream(json, id, Clock.systemUTC(), this::enqueue, this::unserializable));
    }

    private void enqueue(StreamEvent event) {
        if (event.type().leavesDelivery()) {
            running.remove(event.jobId());
        }
        if (closing) {
            dropped.get(event.type()).increment();
            return;
        }
        queue.offer(event);
    }

    private void unserializable(RuntimeException e) {
        errors.increment();
        LOG.warn("A stream event could not be written as JSON and was skipped: {}", e.toString());
    }

    /** Publishes what is queued (waiting up to 5 s), then disconnects; later events are dropped and counted. */
    @Override
    public void close() {
        closing = true;
        try {
            publisher.join(CLOSE_TIMEOUT_MILLIS);
            if (publisher.isAlive()) {
                LOG.warn("Dragonfly publisher did not flush {} events within {} ms; giving them up",
                        queue.size(), CLOSE_TIMEOUT_MILLIS);
                publisher.interrupt();
                publisher.join(CLOSE_TIMEOUT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publishUntilClosed() {
        List<StreamEvent> batch = new ArrayList<>(BATCH_SIZE);
        try {
            while (!closing || queue.size() > 0) {
                queue.takeBatch(batch, BATCH_SIZE, 50);
                if (!batch.isEmpty()) {
                    publish(batch);
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.forEach(event -> dropped.get(event.type()).increment());
            queue.takeRemaining().forEach(event -> dropped.get(event.type()).increment());
            disconnect();
        }
    }

    private void publish(List<StreamEvent> batch) throws InterruptedException {
        try {
            int refused = writer.write(connected(), batch);
            if (refused > 0) {
                LOG.warn("{} events reached their channel but not their stream: another writer already used their seq", refused);
            }
            batch.forEach(event -> published.get(event.type()).increment());
            if (backoffMillis > 0) {
                LOG.info("Publishing stream events to {}:{} works again", settings.host(), settings.port());
                backoffMillis = 0;
            }
        } catch (RuntimeException e) {
            // A batch is never re-sent: part of it may have been published, and a watcher would rather miss
            // a few tokens than read them twice.
            errors.increment(batch.size());
            disconnect();
            backoffMillis = backoffMillis == 0 ? MIN_BACKOFF_MILLIS : Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            LOG.warn("Publishing {} stream events to {}:{} failed ({}); retrying the connection in {} ms",
                    batch.size(), settings.host(), settings.port(), e.toString(), backoffMillis);
            pauseBeforeReconnect();
        }
    }

    /** Waits out the backoff, but not past a close: then the queue is published or given up promptly. */
    private void pauseBeforeReconnect() throws InterruptedException {
        long until = System.currentTimeMillis() + backoffMillis;
        while (!closing && System.currentTimeMillis() < until) {
            Thread.sleep(Math.min(50, backoffMillis));
        }
    }

    private Jedis connected() {
        if (connection == null || !connection.isConnected() || connection.isBroken()) {
            disconnect();
            connection = settings.connection("agent-executor-stream", CONNECT_TIMEOUT);
            connection.connect();
        }
        return connection;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // the connection is already gone; nothing is lost by not closing it cleanly
            }
            connection = null;
        }
    }
}
