package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes the result CloudEvents of docs/contract.md: types, source, subject, id, traceparent and data,
 * each small enough for one NATS message ({@link EventSizeBound}).
 */
public class ResultEvents {
    public static final String COMPLETED_TYPE = "dev.my-platform.agent.completed";
    public static final String FAILED_TYPE = "dev.my-platform.agent.failed";
    public static final String INTERRUPTED_TYPE = "dev.my-platform.agent.interrupted";

    private final ObjectMapper json;
    private final URI source;
    private final int maxEventBytes;
    private final Supplier<String> jobSpanId;
    private final EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    /** @param serviceName OTEL_SERVICE_NAME, the {@code source} of every result event */
    public ResultEvents(ObjectMapper json, String serviceName) {
        this(json, serviceName, Integer.MAX_VALUE, () -> null);
    }

    /** @param maxEventBytes the largest serialized event: the NATS max payload less room for its headers */
    public ResultEvents(ObjectMapper json, String serviceName, int maxEventBytes) {
        this(json, serviceName, maxEventBytes, () -> null);
    }

    /**
     * @param jobSpanId the span id of the job being answered, on the publishing thread (null when
     *                  there is none), so the traceparent lets a caller join the job's trace
     */
    public ResultEvents(ObjectMapper json, String serviceName, int maxEventBytes, Supplier<String> jobSpanId) {
        this.json = json;
        this.source = URI.create(serviceName);
        this.maxEventBytes = maxEventBytes;
        this.jobSpanId = jobSpanId;
    }

    /** The completed event's {@code result} object, also what the jobs table stores. */
    public ObjectNode result(AgentOutcome outcome) {
        return json.createObjectNode().put("output", storable(outcome.output())).put("status", "completed");
    }

    /**
     * The failed event's {@code error} object, also what the jobs table stores. {@code type} names
     * the class that failed the job: the cause a {@link JobFailure} wraps, when there is one.
     * {@code stack_trace} is empty for a failure explained by its message (bad input, a failure
     * classified where it was born); otherwise it is {@link StackTraces#of the cause's own frames}.
     */
    public ObjectNode error(Throwable failure) {
        Throwable named = failure instanceof JobFailure && failure.getCause() != null ? failure.getCause() : failure;
        boolean explained = failure instanceof BadInput || failure instanceof JobFailure job && !job.isUnforeseen();
        return json.createObjectNode()
                .put("message", storable(String.valueOf(failure.getMessage())))
                .put("type", named.getClass().getSimpleName())
                .put("stack_trace", explained ? "" : storable(StackTraces.of(failure)));
    }

    /** PostgreSQL's text and jsonb cannot hold U+0000, which a model or a tool may well produce. */
    private static String storable(String text) {
        return text == null ? null : text.replace('\0', '\uFFFD');
    }

    /**
     * What the job spent, for the result event's data and the jobs row ({@code usage}): model and
     * tool calls and tokens in total and per agent, and tokens per model. Snake case, like every
     * other JSON field the service writes.
     */
    public ObjectNode usage(AgentOutcome outcome) {
        ObjectNode usage = json.createObjectNode()
                .put("model_calls", outcome.agents().stream().mapToLong(AgentOutcome.AgentUsage::modelCalls).sum())
                .put("tool_calls", outcome.agents().stream().mapToLong(AgentOutcome.AgentUsage::toolCalls).sum())
                .put("input_tokens", outcome.usage().stream().mapToLong(AgentOutcome.ModelUsage::inputTokens).sum())
                .put("output_tokens", outcome.usage().stream().mapToLong(AgentOutcome.ModelUsage::outputTokens).sum());
        ArrayNode agents = usage.putArray("agents");
        outcome.agents().forEach(agent -> agents.addObject().put("agent", agent.agent()).put("name", agent.name())
                .put("model_calls", agent.modelCalls()).put("tool_calls", agent.toolCalls())
                .put("input_tokens", agent.inputTokens()).put("output_tokens", agent.outputTokens()));
        ArrayNode models = usage.putArray("models");
        outcome.usage().forEach(model -> models.addObject()
                .put("provider", model.provider()).put("model", model.model())
                .put("input_tokens", model.inputTokens()).put("output_tokens", model.outputTokens()));
        return usage;
    }

    /** @param usage what the job spent ({@link #usage}), or null when unknown (rows from before it was kept) */
    public CloudEvent completed(String jobId, String traceId, JsonNode result, JsonNode usage) {
        ObjectNode data = json.createObjectNode().put("job_id", jobId).set("result", result);
        if (usage != null && usage.isObject()) {
            data.set("usage", usage);
        }
        return event(COMPLETED_TYPE, jobId, traceId, data);
    }

    /** @param traceId null when the incoming event had none that could be read */
    public CloudEvent failed(String jobId, String traceId, JsonNode error) {
        return event(FAILED_TYPE, jobId, traceId, json.createObjectNode().put("job_id", jobId).set("error", error));
    }

    /** A job parked on tool calls that wait for decisions: {@code {"job_id", "interrupts": [...]}}. */
    public CloudEvent interrupted(String jobId, String traceId, JsonNode interrupts) {
        return event(INTERRUPTED_TYPE, jobId, traceId, json.createObjectNode().put("job_id", jobId).set("interrupts", interrupts));
    }

    public JsonNode interrupts(List<Interrupt> interrupts) {
        return Interrupt.toJson(interrupts, json);
    }

    public byte[] serialize(CloudEvent event) {
        return format.serialize(event);
    }

    /** The event, its data cut to fit {@link #maxEventBytes} when it is too large for one NATS message. */
    private CloudEvent event(String type, String jobId, String traceId, ObjectNode data) {
        String id = UUID.randomUUID().toString();
        String traceParent = TraceParent.forTraceId(traceId == null ? randomTraceId() : traceId, jobSpanId.get());
        ObjectNode fitted = EventSizeBound.fit(data, maxEventBytes,
                candidate -> serialize(event(type, id, jobId, traceParent, candidate)).length);
        return event(type, id, jobId, traceParent, fitted);
    }

    private CloudEvent event(String type, String id, String jobId, String traceParent, ObjectNode data) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withType(type)
                .withSource(source)
                .withSubject(jobId)
                .withExtension("traceparent", traceParent)
                .withDataContentType("application/json")
                .withData(data.toString().getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static String randomTraceId() {
        return UUID.randomUUID().toString();
    }
}
