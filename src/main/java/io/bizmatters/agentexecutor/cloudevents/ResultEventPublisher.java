package io.bizmatters.agentexecutor.cloudevents;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.jobs.JobRecord;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Publishes result events to JetStream and waits for the publish ack: a job's message is acked
 * only after a stream (normally {@code AGENT_STATUS}) has stored its result. Each event carries a
 * {@code Nats-Msg-Id} ({@link ResultMessageIds}), so the stream stores one copy of each result.
 * Each method returns the event's data as JSON, which is also the HTTP answer.
 */
public class ResultEventPublisher {
    public static final String STATUS_STREAM = "AGENT_STATUS";
    public static final String COMPLETED_SUBJECT = "agent.status.completed";
    public static final String FAILED_SUBJECT = "agent.status.failed";

    private static final Logger LOG = LoggerFactory.getLogger(ResultEventPublisher.class);

    private final JetStream jetStream;
    private final ResultEvents events;

    public ResultEventPublisher(JetStream jetStream, ResultEvents events) {
        this.jetStream = jetStream;
        this.events = events;
    }

    /** The job's own completed result: every copy of it carries the same Nats-Msg-Id. */
    public String publishCompleted(AgentJob job, AgentOutcome outcome) {
        return publish(COMPLETED_SUBJECT, events.completed(job.jobId(), job.traceId(), events.result(outcome)),
                ResultMessageIds.ofJob(job.jobId(), COMPLETED_SUBJECT));
    }

    /**
     * The job's own failed result (recorded, or given up on its last delivery).
     *
     * @param traceId null when the incoming event had none that could be read
     */
    public String publishFailed(String jobId, String traceId, Throwable failure) {
        return publish(FAILED_SUBJECT, events.failed(jobId, traceId, events.error(failure)), ResultMessageIds.ofJob(jobId, FAILED_SUBJECT));
    }

    /**
     * The failed event answering one submission that never became a job (bad input): each delivery
     * of one message carries the same id.
     *
     * @param submission see {@link ResultMessageIds#ofSubmission}
     */
    public String publishRejected(String jobId, String traceId, Throwable failure, String submission) {
        return publish(FAILED_SUBJECT, events.failed(jobId, traceId, events.error(failure)),
                ResultMessageIds.ofSubmission(jobId, FAILED_SUBJECT, submission));
    }

    /**
     * A finished job's stored result, whose first publication was never confirmed, goes out again
     * as the job's own result (same Nats-Msg-Id, new event id): a late first copy and this one collapse.
     */
    public String republishJobResult(JobRecord job) {
        String subject = subjectOf(job);
        return publish(subject, storedEvent(job), ResultMessageIds.ofJob(job.jobId(), subject));
    }

    /**
     * A finished job's stored result answers a new submission of the job, as a result event of its own.
     *
     * @param submission see {@link ResultMessageIds#ofSubmission}
     */
    public String republishFor(JobRecord job, String submission) {
        String subject = subjectOf(job);
        return publish(subject, storedEvent(job), ResultMessageIds.ofSubmission(job.jobId(), subject, submission));
    }

    private static String subjectOf(JobRecord job) {
        return job.result() != null ? COMPLETED_SUBJECT : FAILED_SUBJECT;
    }

    private CloudEvent storedEvent(JobRecord job) {
        return job.result() != null
                ? events.completed(job.jobId(), job.traceId(), job.result())
                : events.failed(job.jobId(), job.traceId(), job.error());
    }

    /**
     * A publish that times out is not known to have failed: jnats keeps it in its reconnect buffer
     * and may still send it once NATS is back. It is an outage (nak, redelivery), and the
     * redelivery's copy carries the same Nats-Msg-Id, so the stream keeps exactly one of the two.
     */
    private String publish(String subject, CloudEvent event, String messageId) {
        Headers headers = new Headers().put("Content-Type", JsonFormat.CONTENT_TYPE);
        NatsMessage message = NatsMessage.builder().subject(subject).headers(headers).data(events.serialize(event)).build();
        try {
            PublishAck ack = jetStream.publish(message, PublishOptions.builder().messageId(messageId).build());
            if (ack.isDuplicate()) {
                LOG.info("JetStream already holds the {} event of job {} ({}); this copy was dropped", subject,
                        event.getSubject(), messageId);
            }
        } catch (IOException | JetStreamApiException e) {
            throw new InfrastructureFault("nats", "JetStream did not confirm the " + subject + " event of job "
                    + event.getSubject() + " (it may still be stored; a retry carries the same Nats-Msg-Id): " + e.getMessage(), e);
        }
        return new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    }
}
