package io.bizmatters.agentexecutor.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The answer to {@code POST /} with {@code Prefer: respond-async}: 202 with where to follow the
 * job, {@code {"job_id", "events": "/jobs/<id>/events"}}, given once the event has been read and
 * the job handed to a thread of its own (ingress-http.camel.yaml).
 */
public class AcceptedJobs {
    /** Exchange property holding the job read from the request. */
    public static final String ACCEPTED_JOB = "acceptedJob";

    private final ObjectMapper json;

    public AcceptedJobs(ObjectMapper json) {
        this.json = json;
    }

    public void answer(Exchange exchange) {
        AgentJob job = exchange.getProperty(ACCEPTED_JOB, AgentJob.class);
        String path = "/jobs/" + URLEncoder.encode(job.jobId(), StandardCharsets.UTF_8).replace("+", "%20");
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        message.setHeader("Preference-Applied", "respond-async");
        message.setHeader("Location", path);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.createObjectNode().put("job_id", job.jobId()).put("events", path + "/events").toString());
    }
}
