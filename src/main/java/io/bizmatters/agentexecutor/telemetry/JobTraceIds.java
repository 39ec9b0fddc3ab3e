package io.bizmatters.agentexecutor.telemetry;

import io.bizmatters.agentexecutor.cloudevents.TraceParent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;


/**
 * Trace ids by the contract's rule: a job that arrives without a traceparent gets a root span
 * whose trace id is its {@code trace_id} (dashes removed, lower-cased, cut or padded to 32 hex),
 * the id its result event has always carried ({@link #forJob} tells what a trace_id that is not
 * hex becomes). The SDK asks its {@link IdGenerator} for a root's trace id, so the id to use is
 * handed over on the starting thread for the one call.
 */
final class JobTraceIds implements IdGenerator {
    static final JobTraceIds GENERATOR = new JobTraceIds();
    private static final ThreadLocal<String> NEXT_TRACE_ID = new ThreadLocal<>();

    private JobTraceIds() {
    }

    /**
     * The trace id of a job without a traceparent: the contract's 32 hex of its trace_id, or, when
     * those are not hex (the contract allows any string), the first 16 bytes of its SHA-256, so
     * every delivery of the job still lands in one trace.
     */
    static String forJob(String jobTraceId) {
        String hex = TraceParent.traceHex(jobTraceId);
        if (TraceId.isValid(hex)) {
            return hex;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jobTraceId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
        if (started.getSpanContext().isValid()) {
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
        return next != null ? next : IdGenerator.random().generateTraceId();
    }
}
