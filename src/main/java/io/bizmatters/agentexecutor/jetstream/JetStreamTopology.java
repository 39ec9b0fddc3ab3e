package io.bizmatters.agentexecutor.jetstream;

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
    public static final Duration ACK_WAIT = Duration.ofSeconds(300);
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
        return StreamConfiguration.builder()
                .name(name)
                .subjects(subjects)
                .retentionPolicy(RetentionPolicy.Limits)
                .maxAge(Duration.ofHours(24))
                .storageType(StorageType.File)
                .discardPolicy(DiscardPolicy.Old)
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
            LOG.warn("Existing JetStream {} differs from docs/contract.md and is left as it is: {}", what,
                    String.join("; ", differences));
        }
    }
}
