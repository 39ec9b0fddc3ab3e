package io.bizmatters.agentexecutor.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.CancelRequest;
import io.bizmatters.agentexecutor.cloudevents.CloudEventReader;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.jobs.CancelRecords;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Handles every cancel, whichever way it came (job-control.camel.yaml): {@code DELETE /jobs/{id}},
 * the cancel CloudEvent on {@code agent.execute.*} or {@code POST /}, and the core-NATS broadcast
 * on {@code agent.cancel.<job_id>} that every pod subscribes to. The cancel is written to the
 * jobs row first; then the job stops at once if this pod runs it, and otherwise the other pods are
 * told, so the one holding the job's lease stops it at once too. A parked job, which no pod runs,
 * is ended by the canceller ({@link ParkedCancels}); the answer is then its cancelled row.
 */
public class JobCancels {
    public static final String BROADCAST_SUBJECT = "agent.cancel.";
    /** Marks a broadcast whose cancel is already in the jobs row: the pods receiving it only stop the job. */
    static final String RECORDED_HEADER = "Agent-Cancel-Recorded";

    private static final Logger LOG = LoggerFactory.getLogger(JobCancels.class);

    private final CancelRecords records;
    private final ParkedCancels parked;
    private final RunningJobs running;
    private final Connection nats;
    private final CloudEventReader reader;
    private final ExecutorMetrics metrics;
    private final ObjectMapper json;
    private final String source;

    public JobCancels(CancelRecords records, ParkedCancels parked, RunningJobs running, Connection nats, CloudEventReader reader,
                      ExecutorMetrics metrics, ObjectMapper json, String serviceName) {
        this.records = records;
        this.parked = parked;
        this.running = running;
        this.nats = nats;
        this.reader = reader;
        this.metrics = metrics;
        this.json = json;
        this.source = serviceName;
    }

    /** The HTTP answer to a cancel; a finished job is answered with its row instead. */
    public record Answer(boolean finished, int status, String body) {
    }

    /** {@code DELETE /jobs/{jobId}} with an optional {@code {"reason": "..."}} body. */
    public CancelRequest fromHttp(Exchange exchange) {
        String jobId = exchange.getIn().getHeader("jobId", String.class);
        String body = exchange.getIn().getBody(String.class);
        if (body == null || body.isBlank()) {
            return new CancelRequest(jobId, null);
        }
        try {
            JsonNode parsed = json.readTree(body);
            if (!parsed.isObject()) {
                throw new BadInput("body", "the body of a cancel must be a JSON object {\"reason\": \"...\"}");
            }
            return new CancelRequest(jobId, CloudEventReader.reason(parsed.get("reason"), "reason"));
        } catch (JsonProcessingException e) {
            throw new BadInput("body", "body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Records the cancel, stops the job if it runs here, and otherwise tells the other pods. */
    public Answer cancel(CancelRequest cancel) {
        CancelRecords.Recorded recorded = record(cancel);
        if (recorded.found() == CancelRecords.Found.RUNNING && !running.cancel(cancel.jobId(), recorded.reason())) {
            broadcast(new CancelRequest(cancel.jobId(), recorded.reason()));
        }
        return switch (recorded.found()) {
            case RUNNING -> new Answer(false, 202, json.createObjectNode().put("job_id", cancel.jobId())
                    .put("status", "cancelling").toString());
            case UNKNOWN -> new Answer(false, 404, json.createObjectNode().put("detail", "no such job; the cancel is "
                    + "recorded, so the job is not run if it arrives").put("job_id", cancel.jobId()).toString());
            case FINISHED, PARKED -> new Answer(true, 200, null);
        };
    }

    /**
     * A cancel on {@code agent.cancel.*}: from another pod (already recorded, carrying the recorded
     * reason) or from any publisher.
     */
    public void fromBroadcast(Exchange exchange) {
        try {
            CancelRequest cancel = reader.readCancel(exchange);
            String reason = exchange.getIn().getHeader(RECORDED_HEADER) != null ? cancel.reason() : runningReason(cancel);
            if (reason != null && running.cancel(cancel.jobId(), reason)) {
                LOG.info("Job {} is cancelled: {}", cancel.jobId(), reason);
            }
        } catch (BadInput e) {
            LOG.warn("Ignored a cancel on {}: {} ({})", exchange.getIn().getHeader("CamelNatsSubject"), e.getMessage(), e.field());
        } catch (RuntimeException e) {
            // Core NATS has no redelivery: a cancel that must survive an outage goes over JetStream or HTTP.
            LOG.error("A cancel on {} was lost: {}", exchange.getIn().getHeader("CamelNatsSubject"), e.getMessage());
        }
    }

    /** The recorded reason when the job is running, else null: a finished or unknown job has nothing to stop. */
    private String runningReason(CancelRequest cancel) {
        CancelRecords.Recorded recorded = record(cancel);
        return recorded.found() == CancelRecords.Found.RUNNING ? recorded.reason() : null;
    }

    private CancelRecords.Recorded record(CancelRequest cancel) {
        CancelRecords.Recorded recorded = records.record(cancel);
        if (recorded.found() == CancelRecords.Found.UNKNOWN) {
            metrics.jobCancelled();
            LOG.info("Job {} is cancelled before it arrived: {}", cancel.jobId(), cancel.reason());
        } else if (recorded.found() == CancelRecords.Found.PARKED) {
            parked.finish(cancel.jobId(), recorded);
        }
        return recorded;
    }

    /** Core NATS, at most once: a pod that misses it still finds the cancel in the row at the job's next step. */
    private void broadcast(CancelRequest cancel) {
        ObjectNode event = json.createObjectNode().put("specversion", "1.0").put("type", CloudEventReader.CANCEL_TYPE)
                .put("source", source).put("id", UUID.randomUUID().toString()).put("subject", cancel.jobId())
                .put("datacontenttype", "application/json");
        event.putObject("data").put("job_id", cancel.jobId()).put("reason", cancel.reason());
        try {
            nats.publish(NatsMessage.builder().subject(BROADCAST_SUBJECT + cancel.jobId())
                    .headers(new Headers().put(RECORDED_HEADER, "true"))
                    .data(event.toString().getBytes(StandardCharsets.UTF_8)).build());
        } catch (RuntimeException e) {
            LOG.warn("Could not broadcast the cancel of job {}; it stops at its next step: {}", cancel.jobId(), e.getMessage());
        }
    }
}
