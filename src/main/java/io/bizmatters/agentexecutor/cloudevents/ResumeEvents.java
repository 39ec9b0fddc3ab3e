package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.ResumeRequest;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.ResumeRejected;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a resume: a CloudEvent of type {@code dev.my-platform.agent.resume} (on agent.execute.*,
 * in any mode {@link CloudEventReader} reads), or the body of {@code POST /jobs/{jobId}/resume}.
 * Both carry {@code {"job_id", "decisions": [{"tool_call_id", "type", "args", "message"}]}}.
 * Anything malformed is a {@link ResumeRejected} (400), never a {@link BadInput}: a bad resume must
 * not fail the job it names.
 */
public class ResumeEvents {
    public static final String RESUME_TYPE = "dev.my-platform.agent.resume";
    /** Set by platform-http from the path {@code /jobs/{jobId}/resume}. */
    private static final String PATH_JOB_ID = "jobId";
    private static final String TYPES = String.join(", ", Arrays.stream(Decision.Type.values()).map(Decision.Type::wireName).toList());

    private final CloudEventReader reader;
    private final ObjectMapper json;

    public ResumeEvents(CloudEventReader reader, ObjectMapper json) {
        this.reader = reader;
        this.json = json;
    }

    /**
     * True for a resume event: by its type (binary or structured mode), or, as bare data, by its
     * decisions and no agent_definition. Never throws: anything unreadable is left to the job path.
     */
    public boolean isResume(Exchange exchange) {
        if (RESUME_TYPE.equals(exchange.getIn().getHeader("ce-type", String.class))) {
            return true;
        }
        try {
            byte[] body = exchange.getIn().getBody(byte[].class);
            exchange.getIn().setBody(body); // read again by the route it goes to
            JsonNode root = json.readTree(body);
            JsonNode data = root.has("data") && !root.has("job_id") ? root.get("data") : root;
            return RESUME_TYPE.equals(root.path("type").asText())
                    || (data.has("decisions") && !data.has("agent_definition"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A resume that came as a CloudEvent. */
    public ResumeRequest read(Exchange exchange) {
        JsonNode data;
        try {
            data = reader.data(exchange);
        } catch (BadInput e) {
            throw new ResumeRejected(400, e.field(), readableJobId(exchange), e.getMessage());
        }
        return request(data, "data.", null, exchange);
    }

    /** A resume POSTed to /jobs/{jobId}/resume: the body is the decisions object itself. */
    public ResumeRequest readPosted(Exchange exchange) {
        String jobId = exchange.getIn().getHeader(PATH_JOB_ID, String.class);
        exchange.setProperty(CloudEventReader.READABLE_JOB_ID, jobId);
        JsonNode body;
        try {
            body = json.readTree(exchange.getIn().getBody(byte[].class));
        } catch (IOException | RuntimeException e) {
            throw new ResumeRejected(400, "body", jobId, "the body must be JSON: {\"decisions\": [{\"tool_call_id\", \"type\"}]}");
        }
        return request(body, "", jobId, exchange);
    }

    private ResumeRequest request(JsonNode data, String prefix, String pathJobId, Exchange exchange) {
        if (data == null || !data.isObject()) {
            throw new ResumeRejected(400, prefix.isEmpty() ? "body" : "data", readableJobId(exchange),
                    "a resume must be a JSON object {\"job_id\", \"decisions\": [...]}");
        }
        String jobId = jobId(data, prefix, pathJobId);
        exchange.setProperty(CloudEventReader.READABLE_JOB_ID, jobId);
        JsonNode decisions = data.get("decisions");
        if (decisions == null || !decisions.isArray() || decisions.isEmpty()) {
            throw new ResumeRejected(400, prefix + "decisions", jobId, prefix + "decisions must be a non-empty array "
                    + "of {\"tool_call_id\", \"type\"}, one for each call the job waits on");
        }
        List<Decision> read = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            read.add(decision(decisions.get(i), prefix + "decisions[" + i + "]", jobId));
        }
        return new ResumeRequest(jobId, List.copyOf(read));
    }

    private static String jobId(JsonNode data, String prefix, String pathJobId) {
        JsonNode id = data.get("job_id");
        boolean given = id != null && !id.isNull();
        if (given && (!id.isTextual() || id.asText().isBlank())) {
            throw new ResumeRejected(400, prefix + "job_id", pathJobId, prefix + "job_id must be a non-blank string");
        }
        if (pathJobId == null && !given) {
            throw new ResumeRejected(400, prefix + "job_id", JobExecutionEvents.UNKNOWN_JOB_ID, prefix + "job_id is required");
        }
        if (pathJobId != null && given && !pathJobId.equals(id.asText().strip())) {
            throw new ResumeRejected(400, "job_id", pathJobId, "job_id '" + id.asText() + "' differs from the job in the path, " + pathJobId);
        }
        return pathJobId != null ? pathJobId : id.asText().strip();
    }

    private static Decision decision(JsonNode node, String path, String jobId) {
        if (node == null || !node.isObject()) {
            throw new ResumeRejected(400, path, jobId, path + " must be an object {\"tool_call_id\", \"type\"}");
        }
        JsonNode callId = node.get("tool_call_id");
        if (callId == null || !callId.isTextual() || callId.asText().isBlank()) {
            throw new ResumeRejected(400, path + ".tool_call_id", jobId, path + ".tool_call_id must be a non-blank string");
        }
        JsonNode type = node.get("type");
        Decision.Type known = Decision.Type.ofWireName(type != null && type.isTextual() ? type.asText() : "")
                .orElseThrow(() -> new ResumeRejected(400, path + ".type", jobId, path + ".type must be one of " + TYPES));
        JsonNode args = node.get("args");
        if (known == Decision.Type.EDIT && (args == null || !args.isObject())) {
            throw new ResumeRejected(400, path + ".args", jobId, path + ".args must be a JSON object: the edited arguments to run with");
        }
        JsonNode message = node.get("message");
        if (message != null && !message.isNull() && !message.isTextual()) {
            throw new ResumeRejected(400, path + ".message", jobId, path + ".message must be a string");
        }
        return new Decision(callId.asText(), known, known == Decision.Type.EDIT ? args.toString() : null,
                message == null || message.isNull() ? null : message.asText());
    }

    /** The answer to a duplicate of a resume already taken: 200, nothing was done. */
    public String duplicateAnswer(String jobId, String status) {
        return json.createObjectNode().put("job_id", jobId).put("status", status)
                .put("detail", "these decisions were already taken; nothing was done").toString();
    }

    private static String readableJobId(Exchange exchange) {
        return exchange.getProperty(CloudEventReader.READABLE_JOB_ID, JobExecutionEvents.UNKNOWN_JOB_ID, String.class);
    }
}
