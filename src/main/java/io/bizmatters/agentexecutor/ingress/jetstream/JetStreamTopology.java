package io.bizmatters.agentexecutor.ingress.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates the streams and the durable consumer of docs/contract.md when they are missing. An existing
 * stream or consumer is never rewritten: the platform may own it (it injects NATS_STREAM_NAME), so
 * a difference is logged as a warning naming each setting, and the service works with what exists.
 */
public final class JetStreamTopology {
    /** Python used 3; ours survives a few minutes of outage because infrastructure faults nak with backoff. */
    public static final long MAX_DELIVER = 5;
    /**
     * How long a delivered message may go without an ack or an in-progress ack before the server
     * hands it to another pod: how soon a killed pod's jobs come back (docs/operations.md). Running
     * jobs send an in-progress ack every {@link #IN_PROGRESS_DIVISOR}th of it, so it never bounds a job.
     */
    public static final Duration ACK_WAIT = Duration.ofSeconds(20);
    /** In-progress acks go out every AckWait / 5 (4 s with 20 s): four can be lost before a live job's message is redelivered. */
    public static final int IN_PROGRESS_DIVISOR = 5;
    /**
     * JetStream's default duplicate window, kept for AGENT_EXECUTION: a publisher that sets
     * Nats-Msg-Id gets its retries dropped for this long.
     */
    public static final Duration JOB_DUPLICATE_WINDOW = Duration.ofMinutes(2);
    /**
     * AGENT_STATUS drops a second copy of a result event (same Nats-Msg-Id) for this long. It must
     * outlast the longest gap between two copies of one result: a copy the client's reconnect
     * buffer sends late, and the republish of a redelivery that comes after the longest nak delay
     * (5 min) and AckWait. See docs/architecture.md, "Delivery semantics".
     */
    public static final Duration RESULT_DUPLICATE_WINDOW = Duration.ofMinutes(10);
    /** Server-side cap on unacked messages over all pods; each pod bounds itself by its free job slots. */
    public static final long MAX_ACK_PENDING = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(JetStreamTopology.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;

    private final JetStreamManagement management;

    public JetStreamTopology(Connection connection) throws IOException {
        this.management = connection.jetStreamManagement();
    }

    /** A limits stream kept 24 h on file, discarding the oldest: the shape of both of our streams. */
    public static StreamConfiguration stream(String name, String subjects) {
        return stream(name, subjects, JOB_DUPLICATE_WINDOW);
    }

    /** The result stream: {@link #stream} with a duplicate window that covers a late second copy of a result. */
    public static StreamConfiguration resultStream(String name, String subjects) {
        return stream(name, subjects, RESULT_DUPLICATE_WINDOW);
    }

    private static StreamConfiguration stream(String name, String subjects, Duration duplicateWindow) {
        return StreamConfiguration.builder()
                .name(name)
                .subjects(subjects)
                .retentionPolicy(RetentionPolicy.Limits)
                .maxAge(Duration.ofHours(24))
                .storageType(StorageType.File)
                .discardPolicy(DiscardPolicy.Old)
                .duplicateWindow(duplicateWindow)
                .build();
    }

    public static ConsumerConfiguration workers(String durable, String filterSubject) {
        return ConsumerConfiguration.builder()
                .durable(durable)
                .ackPolicy(AckPolicy.Explicit)
                .filterSubject(filterSubject)
                .ackWait(ACK_WAIT)
                .maxDeliver(MAX_DELIVER)
                .maxAckPending(MAX_ACK_PENDING)
                .build();
    }

    /** @return the settings in which an existing stream differs (each also logged); empty when created or equal */
    public List<String> ensureStream(StreamConfiguration wanted) throws IOException, JetStreamApiException {
        StreamConfiguration existing;
        try {
            existing = management.getStreamInfo(wanted.getName()).getConfiguration();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            management.addStream(wanted);
            LOG.info("Created JetStream stream {} on {}", wanted.getName(), wanted.getSubjects());
            return List.of();
        }
        List<String> differences = new ArrayList<>();
        compare(differences, "subjects", wanted.getSubjects(), existing.getSubjects());
        compare(differences, "retention", wanted.getRetentionPolicy(), existing.getRetentionPolicy());
        compare(differences, "max_age", wanted.getMaxAge(), existing.getMaxAge());
        compare(differences, "storage", wanted.getStorageType(), existing.getStorageType());
        compare(differences, "discard", wanted.getDiscardPolicy(), existing.getDiscardPolicy());
        compare(differences, "duplicate_window", wanted.getDuplicateWindow(), existing.getDuplicateWindow());
        warnIfDifferent("stream " + wanted.getName(), differences);
        return differences;
    }

    /** @return the settings in which an existing consumer differs (each also logged); empty when created or equal */
    public List<String> ensureConsumer(String stream, ConsumerConfiguration wanted) throws IOException, JetStreamApiException {
        ConsumerConfiguration existing;
        try {
            existing = management.getConsumerInfo(stream, wanted.getDurable()).getConsumerConfiguration();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                throw e;
            }
            management.addOrUpdateConsumer(stream, wanted);
            LOG.info("Created durable pull consumer {} on stream {}", wanted.getDurable(), stream);
            return List.of();
        }
        List<String> differences = new ArrayList<>();
        compare(differences, "ack_policy", wanted.getAckPolicy(), existing.getAckPolicy());
        compare(differences, "filter_subject", wanted.getFilterSubject(), existing.getFilterSubject());
        compare(differences, "ack_wait", wanted.getAckWait(), existing.getAckWait());
        compare(differences, "max_deliver", wanted.getMaxDeliver(), existing.getMaxDeliver());
        warnIfDifferent("consumer " + stream + "/" + wanted.getDurable(), differences);
        return differences;
    }

    private static void compare(List<String> differences, String setting, Object wanted, Object existing) {
        if (!Objects.equals(wanted, existing)) {
            differences.add(setting + " is " + existing + ", expected " + wanted);
        }
    }

    private static void warnIfDifferent(String what, List<String> differences) {
        if (!differences.isEmpty()) {
            LOG.warn("Existing JetStream {} differs from the service's settings and is left as it is: {}."
                            + " To change it, edit it with the nats CLI or the platform's stream Job"
                            + " (bootstrap/components/02-nats-streams.yaml for the consumer,"
                            + " bootstrap/profiles/<profile>/02-nats-streams.yaml for the streams); see docs/operations.md", what,
                    String.join("; ", differences));
        }
    }
}
