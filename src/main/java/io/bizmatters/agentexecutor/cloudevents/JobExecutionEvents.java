package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.LimitSettings;
import io.bizmatters.agentexecutor.failure.BadInput;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates a JobExecutionEvent (a CloudEvent's data) into an {@link AgentJob}. Every field is
 * required, and every problem is reported at once. The ids are stored in PostgreSQL, written into
 * logs and event subjects, so they are text without control characters, at most
 * {@code MAX_ID_LENGTH} characters; and no string anywhere in the event may hold a NUL, which
 * PostgreSQL cannot store. {@code limits} is optional: it falls back to the service's defaults.
 */
public final class JobExecutionEvents {
    /** The job id a failed event carries when the incoming event has none that can be read. */
    public static final String UNKNOWN_JOB_ID = "unknown";
    public static final int DEFAULT_MAX_ID_LENGTH = 256;

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final int maxIdLength;
    private final LimitSettings limits;

    /** Events read with the default limits of {@link LimitSettings}. */
    public JobExecutionEvents(int maxIdLength) {
        this(maxIdLength, LimitSettings.fromEnvironment(Map.of()));
    }

    /**
     * @param maxIdLength the longest job_id or trace_id accepted (MAX_ID_LENGTH)
     * @param limits      the defaults and ceilings of a job's limits (docs/job-control.md)
     */
    public JobExecutionEvents(int maxIdLength, LimitSettings limits) {
        this.maxIdLength = maxIdLength;
        this.limits = limits;
    }

    public AgentJob toAgentJob(JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new BadInput("data", "data must be a JSON object holding a JobExecutionEvent");
        }
        List<String> fields = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String jobId = id(data, "job_id", fields, problems);
        String traceId = id(data, "trace_id", fields, problems);
        ObjectNode definition = nonEmptyObject(data, "agent_definition", fields, problems);
        ObjectNode payload = nonEmptyObject(data, "input_payload", fields, problems);
        if (problems.isEmpty()) {
            nulCharacter(data, "data").ifPresent(path -> {
                fields.add(path);
                problems.add(path + " holds a NUL character, which cannot be stored");
            });
        }
        if (!problems.isEmpty()) {
            throw new BadInput(fields, String.join("; ", problems));
        }
        return new AgentJob(jobId, traceId, definition, payload, limits.read(data.get("limits")));
    }

    /** The job id a cancel names, by the same rule as a job's own id. */
    public String cancelledJobId(JsonNode data) {
        List<String> fields = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String jobId = id(data, "job_id", fields, problems);
        if (!problems.isEmpty()) {
            throw new BadInput(fields, String.join("; ", problems));
        }
        return jobId;
    }

    /** For GET /jobs/{jobId}: the same rule as a job's own id, so a lookup never sends PostgreSQL what it cannot store. */
    public void checkJobId(String jobId) {
        String problem = jobId == null ? "must be a non-blank string" : idProblem(jobId);
        if (problem != null) {
            throw new BadInput("jobId", "jobId " + problem);
        }
    }

    /** The job id if it is a valid one, so even a rejected event's failed event and log lines name its job. */
    public String readableJobId(JsonNode data) {
        String id = validId(data, "job_id");
        return id == null ? UNKNOWN_JOB_ID : id;
    }

    /** The trace id if it is a valid one, else null. */
    public String readableTraceId(JsonNode data) {
        return validId(data, "trace_id");
    }

    private String validId(JsonNode data, String name) {
        JsonNode value = data == null || !data.isObject() ? null : data.get(name);
        return value != null && value.isTextual() && idProblem(value.asText().strip()) == null ? value.asText().strip() : null;
    }

    private String id(JsonNode data, String name, List<String> fields, List<String> problems) {
        JsonNode value = data.get(name);
        String path = "data." + name;
        String problem;
        if (value == null || value.isNull()) {
            problem = path + " is required";
        } else if (!value.isTextual()) {
            problem = path + " must be a non-blank string";
        } else {
            String reason = idProblem(value.asText().strip());
            problem = reason == null ? null : path + " " + reason;
        }
        if (problem != null) {
            fields.add(path);
            problems.add(problem);
            return null;
        }
        return value.asText().strip();
    }

    private String idProblem(String id) {
        if (id.isEmpty()) {
            return "must be a non-blank string";
        }
        if (id.length() > maxIdLength) {
            return "is " + id.length() + " characters long; at most " + maxIdLength + " are allowed";
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        if (!isWellFormed(id)) {
            return "must be valid Unicode text (it holds an unpaired surrogate)";
        }
        return null;
    }

    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode nonEmptyObject(JsonNode data, String name, List<String> fields, List<String> problems) {
        JsonNode value = data.get(name);
        String path = "data." + name;
        if (value == null || value.isNull()) {
            fields.add(path);
            problems.add(path + " is required");
            return null;
        }
        if (!value.isObject() || value.isEmpty()) {
            fields.add(path);
            problems.add(path + " must be a non-empty JSON object");
            return null;
        }
        return (ObjectNode) value;
    }

    /** The path of the first string or key holding U+0000; the walk is iterative, so no depth overflows it. */
    static Optional<String> nulCharacter(JsonNode root, String rootPath) {
        List<Map.Entry<String, JsonNode>> pending = new ArrayList<>();
        pending.add(Map.entry(rootPath, root));
        while (!pending.isEmpty()) {
            Map.Entry<String, JsonNode> next = pending.removeLast();
            JsonNode node = next.getValue();
            if (node.isTextual() && node.asText().indexOf('\0') >= 0) {
                return Optional.of(next.getKey());
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    pending.add(Map.entry(next.getKey() + "[" + i + "]", node.get(i)));
                }
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getKey().indexOf('\0') >= 0) {
                        return Optional.of(next.getKey());
                    }
                    pending.add(Map.entry(next.getKey() + segment(field.getKey()), field.getValue()));
                }
            }
        }
        return Optional.empty();
    }

    /** A caller's key in a reported path: plain when it is a plain name, else quoted and escaped. */
    private static String segment(String key) {
        return PLAIN_KEY.matcher(key).matches() ? "." + key : "[" + BadInput.quote(key) + "]";
    }
}
