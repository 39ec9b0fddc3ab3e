package io.bizmatters.agentexecutor.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;


/**
 * Trace ids by the contract's rule: a job that arrives without a traceparent gets a root span
 * whose trace id is its {@code trace_id} (dashes removed, lower-cased, cut or padded to 32 hex),
 * the id its result event has always carried. The SDK asks its {@link IdGenerator} for a root's
 * trace id, so the id to use is handed over on the starting thread for the one call.
 */
final class JobTraceIds implements IdGenerator {
    static final JobTraceIds GENERATOR = new JobTraceIds();
    private static final ThreadLocal<String> NEXT_TRACE_ID = new ThreadLocal<>();

    private JobTraceIds() {
    }

    /**
     * Starts {@code span} as a root of trace {@code traceHex}. With tracing off the span records
     * nothing but still carries the trace id (and a span id of its own), so log lines and the
     * result event name the same ids.
     */
    static Span startRoot(SpanBuilder span, String traceHex) {
        Span started;
        NEXT_TRACE_ID.set(traceHex);
        try {
            started = span.setParent(Context.root()).startSpan();
        } finally {
            NEXT_TRACE_ID.remove();
        }
        if (started.getSpanContext().isValid() || !TraceId.isValid(traceHex)) {
            return started;
        }
        return Span.wrap(SpanContext.create(traceHex, GENERATOR.generateSpanId(), TraceFlags.getDefault(), TraceState.getDefault()));
    }

    @Override
    public String generateSpanId() {
        return IdGenerator.random().generateSpanId();
    }

    @Override
    public String generateTraceId() {
        String next = NEXT_TRACE_ID.get();
        // A trace_id that is not hex (the contract allows any string) cannot name an OTel trace.
        return next != null && TraceId.isValid(next) ? next : IdGenerator.random().generateTraceId();
    }
}
