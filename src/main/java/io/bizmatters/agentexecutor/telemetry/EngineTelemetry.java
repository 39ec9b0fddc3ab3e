package io.bizmatters.agentexecutor.telemetry;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.bizmatters.agentexecutor.agent.models.AgentModel;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.observability.OperationalMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * What the engine tells about a job as it runs: a span per graph step, per model call (GenAI
 * conventions, with the call's latency histogram) and per tool execution, each a child of the span
 * current on the job's thread. Prompt and completion text go on model-call spans only when
 * {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true}.
 */
public final class EngineTelemetry {
    private final Tracer tracer;
    private final OperationalMetrics metrics;
    private final boolean captureContent;

    public EngineTelemetry(Telemetry telemetry, OperationalMetrics metrics) {
        this.tracer = telemetry.tracer();
        this.metrics = metrics;
        this.captureContent = telemetry.captureContent();
    }

    /** No spans, metrics into a registry nobody reads: for an engine outside the service (tests, benches). */
    public static EngineTelemetry off() {
        return new EngineTelemetry(Telemetry.of(OpenTelemetry.noop(), false), new OperationalMetrics(new SimpleMeterRegistry(), 0));
    }

    /** One super-step of the graph: node {@code agent} (a model call) or {@code tools} (a tool execution). */
    public <T> T step(String node, long step, Supplier<T> action) {
        Span span = tracer.spanBuilder("step " + node).setAttribute(Conventions.GRAPH_NODE, node)
                .setAttribute(Conventions.GRAPH_STEP, step).startSpan();
        return within(span, action);
    }

    public ChatResponse modelCall(String agentId, String agentName, AgentModel model, ChatRequest request,
                                  Supplier<ChatResponse> call) {
        Span span = tracer.spanBuilder("chat " + model.modelName()).setSpanKind(SpanKind.CLIENT)
                .setAttribute(Conventions.GEN_AI_OPERATION, "chat")
                .setAttribute(Conventions.GEN_AI_PROVIDER, model.provider())
                .setAttribute(Conventions.GEN_AI_SYSTEM, model.provider())
                .setAttribute(Conventions.GEN_AI_REQUEST_MODEL, model.modelName())
                .setAttribute(Conventions.GEN_AI_AGENT_ID, agentId)
                .setAttribute(Conventions.GEN_AI_AGENT_NAME, agentName)
                .startSpan();
        if (captureContent && span.isRecording()) {
            span.setAttribute(Conventions.GEN_AI_INPUT_MESSAGES, GenAiMessages.input(request.messages()));
        }
        long started = System.nanoTime();
        String outcome = "error";
        try (Scope ignored = span.makeCurrent()) {
            ChatResponse response = call.get();
            outcome = "ok";
            describe(span, response);
            return response;
        } catch (RuntimeException e) {
            outcome = e instanceof InfrastructureFault ? "unavailable" : "error";
            failed(span, e);
            throw e;
        } finally {
            metrics.modelCall(model.provider(), model.modelName(), outcome, System.nanoTime() - started);
            span.end();
        }
    }

    private void describe(Span span, ChatResponse response) {
        TokenUsage usage = response.tokenUsage();
        long input = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long output = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        Delivery.current().ifPresent(delivery -> delivery.modelCalled(input, output));
        if (!span.isRecording()) {
            return;
        }
        span.setAttribute(Conventions.GEN_AI_INPUT_TOKENS, input).setAttribute(Conventions.GEN_AI_OUTPUT_TOKENS, output);
        if (response.finishReason() != null) {
            span.setAttribute(Conventions.GEN_AI_FINISH_REASONS, List.of(finishReason(response.finishReason())));
        }
        if (response.modelName() != null) {
            span.setAttribute(Conventions.GEN_AI_RESPONSE_MODEL, response.modelName());
        }
        if (response.id() != null) {
            span.setAttribute(Conventions.GEN_AI_RESPONSE_ID, response.id());
        }
        if (captureContent) {
            span.setAttribute(Conventions.GEN_AI_OUTPUT_MESSAGES, GenAiMessages.output(response.aiMessage()));
        }
    }

    /** The provider's words (OpenAI's, which the conventions use), not langchain4j's enum names. */
    private static String finishReason(FinishReason reason) {
        return switch (reason) {
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }

    /** One tool execution; a tool route's own Camel spans are its children. */
    public String toolCall(String agentId, String tool, String callId, String arguments, Supplier<String> execution) {
        Span span = tracer.spanBuilder("execute_tool " + tool)
                .setAttribute(Conventions.GEN_AI_OPERATION, "execute_tool")
                .setAttribute(Conventions.GEN_AI_TOOL_NAME, tool)
                .setAttribute(Conventions.GEN_AI_TOOL_CALL_ID, callId)
                .setAttribute(Conventions.GEN_AI_AGENT_ID, agentId)
                .startSpan();
        boolean capture = captureContent && span.isRecording();
        if (capture) {
            span.setAttribute(Conventions.GEN_AI_TOOL_ARGUMENTS, arguments);
        }
        return within(span, () -> {
            String result = execution.get();
            if (capture) {
                span.setAttribute(Conventions.GEN_AI_TOOL_RESULT, result);
            }
            return result;
        });
    }

    /** A task for another thread that carries this one's trace context: the job's spans and its delivery's counts. */
    public <T> Callable<T> carried(Callable<T> task) {
        return Context.current().wrap(task);
    }

    private static <T> T within(Span span, Supplier<T> action) {
        try (Scope ignored = span.makeCurrent()) {
            return action.get();
        } catch (RuntimeException e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    static void failed(Span span, RuntimeException e) {
        span.setStatus(StatusCode.ERROR, e.getMessage() == null ? "" : e.getMessage());
        span.setAttribute(Conventions.ERROR_TYPE, e.getClass().getSimpleName());
    }
}
