package io.bizmatters.agentexecutor.publishing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The {@code Nats-Msg-Id} of a result event. Every copy of one result carries the same id, so
 * AGENT_STATUS stores it once within its duplicate window: a copy the client's reconnect buffer
 * sends late, and the republish of a redelivery, collapse into one event. A republish for a new
 * submission of a finished job is a result of its own, with an id of its own. A hash, since a job
 * id is caller-supplied text and a header value must stay one short line.
 */
public final class ResultMessageIds {
    private ResultMessageIds() {
    }

    /** The job's own result: what its run recorded and published, whichever delivery (re)publishes it. */
    public static String ofJob(String jobId, String subject) {
        return hash(subject, jobId, "run");
    }

    /**
     * One parking's interrupted event: the time the jobs table recorded it parked tells it from the
     * event of a later parking of the same job (after a resume), which must not collapse into it.
     */
    public static String ofParking(String jobId, Instant parkedAt) {
        return hash(ResultEventPublisher.INTERRUPTED_SUBJECT, jobId, "parked/" + parkedAt);
    }

    /**
     * The answer to one submission: a JetStream message ({@code <stream>/<sequence>}, the same on
     * every delivery of it), or with no submission (an HTTP request) a fresh id.
     */
    public static String ofSubmission(String jobId, String subject, String submission) {
        return hash(subject, jobId, submission == null ? "http/" + UUID.randomUUID() : submission);
    }

    private static String hash(String subject, String jobId, String origin) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest((subject + '\n' + jobId + '\n' + origin).getBytes(StandardCharsets.UTF_8));
            return "result-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
