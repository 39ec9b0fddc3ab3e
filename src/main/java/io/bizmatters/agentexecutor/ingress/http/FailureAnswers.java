package io.bizmatters.agentexecutor.ingress.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.Causes;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import io.bizmatters.agentexecutor.failure.ReportedFailure;
import io.bizmatters.agentexecutor.failure.ResumeRejected;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP's answer to a failure, by its kind (failures.camel.yaml, docs/contract.md): 400 naming
 * every offending field, 200 with the failed event's data, 503 naming the dependency, 409 for a
 * job another delivery runs, and a rejected resume's own status. Bodies name no class, SQL or host.
 */
public class FailureAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(FailureAnswers.class);

    private final ObjectMapper json;
    private final ExecutorMetrics metrics;

    public FailureAnswers(ObjectMapper json, ExecutorMetrics metrics) {
        this.json = json;
        this.metrics = metrics;
    }

    /** Answers the failure the execution path reported on the exchange. */
    public void answer(Exchange exchange) {
        ReportedFailure reported = exchange.getProperty(ReportedFailure.PROPERTY, ReportedFailure.class);
        switch (reported.kind()) {
            case BAD_INPUT -> respond(exchange, 400, rejection((BadInput) reported.failure()));
            case JOB_FAILURE -> respond(exchange, 200, reported.failedEvent());
            case RESUME_REJECTED -> {
                ResumeRejected rejected = (ResumeRejected) reported.failure();
                respond(exchange, rejected.status(), json.createObjectNode().put("detail", rejected.getMessage())
                        .put("field", rejected.field()).put("job_id", rejected.jobId()).toString());
            }
            case RUNNING_ELSEWHERE -> {
                JobRunningElsewhere busy = (JobRunningElsewhere) reported.failure();
                // The running delivery may yet meet an outage and leave the job unfinished: promise no event.
                respond(exchange, 409, json.createObjectNode().put("detail", "job " + busy.jobId()
                                + " is already running in another delivery; nothing is published for this request."
                                + " Send it again later: once the job has finished that answers with its result, and"
                                + " if the other delivery left it unfinished (an outage) it runs the job")
                        .put("job_id", busy.jobId()).put("status", "running").toString());
            }
            case INFRASTRUCTURE_FAULT, UNFORESEEN -> respond(exchange, 503, json.createObjectNode()
                    .put("detail", Causes.unavailable(reported.failure()) + "; the job is retried")
                    .put("dependency", InfrastructureFault.dependencyOf(reported.failure())).toString());
        }
    }

    /** GET /jobs/{jobId} with an id no job can have: 400 naming it. */
    public void lookupRejected(Exchange exchange) {
        respond(exchange, 400, rejection(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, BadInput.class)));
    }

    /** GET /jobs/{jobId} while the jobs table cannot be read: 503 naming PostgreSQL, the details only in the log. */
    public void lookupUnavailable(Exchange exchange) {
        Exception fault = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        metrics.dbConnectionError();
        LOG.warn("Job lookup failed: {}", fault.getMessage());
        respond(exchange, 503, json.createObjectNode().put("detail", "postgres is unavailable; retry the lookup later")
                .put("dependency", "postgres").toString());
    }

    /** A 400's body: the reason in one line, the first offending field, and all of them. */
    private String rejection(BadInput failure) {
        ObjectNode body = json.createObjectNode().put("detail", failure.getMessage()).put("field", failure.field());
        failure.fields().forEach(body.putArray("fields")::add);
        return body.toString();
    }

    private static void respond(Exchange exchange, int status, String body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }
}
