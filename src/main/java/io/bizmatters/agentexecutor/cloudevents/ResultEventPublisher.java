package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.jobs.JobRecord;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Publishes result events to JetStream and waits for the publish ack: a job's message is acked
 * only after a stream (normally {@code AGENT_STATUS}) has stored its result. Each method returns the event's data as
 * JSON, which is also the HTTP answer.
 */
public class ResultEventPublisher {
    public static final String STATUS_STREAM = "AGENT_STATUS";
    public static final String COMPLETED_SUBJECT = "agent.status.completed";
    public static final String FAILED_SUBJECT = "agent.status.failed";
    /** Captured by AGENT_STATUS (agent.status.*); callers that listen only to completed and failed never see it. */
    public static final String INTERRUPTED_SUBJECT = "agent.status.interrupted";

    private final JetStream jetStream;
    private final ResultEvents events;
    private final Tracer tracer;

    /** @param tracer each publish is a producer span of the job's trace */
    public ResultEventPublisher(JetStream jetStream, ResultEvents events, Tracer tracer) {
        this.jetStream = jetStream;
        this.events = events;
        this.tracer = tracer;
    }

    public String publishCompleted(AgentJob job, AgentOutcome outcome) {
        return publish(COMPLETED_SUBJECT, events.completed(job.jobId(), job.traceId(), events.result(outcome), events.usage(outcome)));
    }

    /** @param traceId null when the incoming event had none that could be read */
    public String publishFailed(String jobId, String traceId, Throwable failure) {
        return publish(FAILED_SUBJECT, events.failed(jobId, traceId, events.error(failure)));
    }

    /** A job that parked: the calls it waits on, for whoever decides them. */
    public String publishInterrupted(AgentJob job, AgentOutcome outcome) {
        return publish(INTERRUPTED_SUBJECT, events.interrupted(job.jobId(), job.traceId(), events.interrupts(outcome.interrupts())));
    }

    /** A failed event with an error object already stored (a parked job that expired). */
    public String publishFailed(String jobId, String traceId, JsonNode error) {
        return publish(FAILED_SUBJECT, events.failed(jobId, traceId, error));
    }

    /**
     * A duplicate delivery of a finished job: the stored result goes out again, under a new event
     * id; of a parked job: its interrupted event.
     */
    public String republish(JobRecord job) {
        if (job.isParked()) {
            return publish(INTERRUPTED_SUBJECT, events.interrupted(job.jobId(), job.traceId(), job.interrupts()));
        }
        return job.result() != null
                ? publish(COMPLETED_SUBJECT, events.completed(job.jobId(), job.traceId(), job.result(), job.usage()))
                : publish(FAILED_SUBJECT, events.failed(job.jobId(), job.traceId(), job.error()));
    }

    private String publish(String subject, CloudEvent event) {
        Headers headers = new Headers().put("Content-Type", JsonFormat.CONTENT_TYPE);
        NatsMessage message = NatsMessage.builder().subject(subject).headers(headers).data(events.serialize(event)).build();
        Span span = tracer.spanBuilder("send " + subject).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "nats").setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", subject).setAttribute("messaging.message.id", event.getId())
                .startSpan();
        try {
            jetStream.publish(message);
        } catch (IOException | JetStreamApiException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw new InfrastructureFault("nats", "JetStream did not confirm the " + subject + " event of job "
                    + event.getSubject() + ": " + e.getMessage(), e);
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
