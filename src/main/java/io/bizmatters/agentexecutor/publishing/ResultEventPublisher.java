package io.bizmatters.agentexecutor.publishing;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
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
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

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
    /** Captured by AGENT_STATUS (agent.status.*); callers that listen only to completed and failed never see it. */
    public static final String INTERRUPTED_SUBJECT = "agent.status.interrupted";

    private static final Logger LOG = LoggerFactory.getLogger(ResultEventPublisher.class);

    private final JetStream jetStream;
    private final ResultEvents events;
    private final Tracer tracer;

    /** @param tracer each publish is a producer span of the job's trace */
    public ResultEventPublisher(JetStream jetStream, ResultEvents events, Tracer tracer) {
        this.jetStream = jetStream;
        this.events = events;
        this.tracer = tracer;
    }

    /** The job's own completed result: every copy of it carries the same Nats-Msg-Id. */
    public String publishCompleted(AgentJob job, AgentOutcome outcome) {
        return publish(COMPLETED_SUBJECT, events.completed(job.jobId(), job.traceId(), events.result(outcome), events.usage(outcome)),
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
     * A job that parked: the calls it waits on, for whoever decides them. Every copy of one
     * parking's event carries the same Nats-Msg-Id, and a later parking of the job one of its own.
     *
     * @param parkedAt when the job parked, as the jobs table recorded it
     */
    public String publishInterrupted(AgentJob job, AgentOutcome outcome, Instant parkedAt) {
        return publish(INTERRUPTED_SUBJECT, events.interrupted(job.jobId(), job.traceId(), events.interrupts(outcome.interrupts())),
                ResultMessageIds.ofParking(job.jobId(), parkedAt));
    }

    /** The job's own failed event with an error object already stored (a parked job that expired). */
    public String publishFailed(String jobId, String traceId, JsonNode error) {
        return publish(FAILED_SUBJECT, events.failed(jobId, traceId, error), ResultMessageIds.ofJob(jobId, FAILED_SUBJECT));
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
     * A settled job's stored event, whose first publication was never confirmed, goes out again as
     * the job's own (same Nats-Msg-Id, new event id): a late first copy and this one collapse. For
     * a parked job that is the interrupted event of its last parking.
     */
    public String republishJobResult(JobRecord job) {
        String subject = subjectOf(job);
        String messageId = job.isParked() ? ResultMessageIds.ofParking(job.jobId(), job.interruptedAt())
                : ResultMessageIds.ofJob(job.jobId(), subject);
        return publish(subject, storedEvent(job), messageId);
    }

    /**
     * A settled job's stored event answers a new submission of the job, as an event of its own.
     *
     * @param submission see {@link ResultMessageIds#ofSubmission}
     */
    public String republishFor(JobRecord job, String submission) {
        String subject = subjectOf(job);
        return publish(subject, storedEvent(job), ResultMessageIds.ofSubmission(job.jobId(), subject, submission));
    }

    private static String subjectOf(JobRecord job) {
        return job.isParked() ? INTERRUPTED_SUBJECT : job.result() != null ? COMPLETED_SUBJECT : FAILED_SUBJECT;
    }

    /** Rebuilt through {@link ResultEvents}, so a republished event is bounded like the first. */
    private CloudEvent storedEvent(JobRecord job) {
        if (job.isParked()) {
            return events.interrupted(job.jobId(), job.traceId(), job.interrupts());
        }
        return job.result() != null
                ? events.completed(job.jobId(), job.traceId(), job.result(), job.usage())
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
        Span span = tracer.spanBuilder("send " + subject).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "nats").setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", subject).setAttribute("messaging.message.id", event.getId())
                .startSpan();
        try {
            PublishAck ack = jetStream.publish(message, PublishOptions.builder().messageId(messageId).build());
            if (ack.isDuplicate()) {
                LOG.info("JetStream already holds the {} event of job {} ({}); this copy was dropped", subject,
                        event.getSubject(), messageId);
            }
        } catch (IOException | JetStreamApiException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw new InfrastructureFault("nats", "JetStream did not confirm the " + subject + " event of job "
                    + event.getSubject() + " (it may still be stored; a retry carries the same Nats-Msg-Id): " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // The client refuses a message before sending it (events are cut to fit, so only a bug gets here).
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw new IllegalStateException("the NATS client refused the " + subject + " event of job "
                    + event.getSubject() + " (" + message.getData().length + " bytes): " + e.getMessage(), e);
        } finally {
            span.end();
        }
        return new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    }
}
