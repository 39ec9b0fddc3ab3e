package io.bizmatters.agentexecutor.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One delivery of a job, as its trace, its log lines and the metrics see it. It travels in the
 * OTel {@link Context} that is current while the delivery runs, so the engine, the job store and
 * the result publisher find it without being handed it.
 */
public final class Delivery {
    private static final ContextKey<Delivery> KEY = ContextKey.named("agent-executor-delivery");

    final String jobId;
    final String traceId;
    final String ingress;
    final long count;
    final long startedNanos = System.nanoTime();
    final Span span;
    final AtomicInteger modelCalls = new AtomicInteger();
    final AtomicLong inputTokens = new AtomicLong();
    final AtomicLong outputTokens = new AtomicLong();
    private volatile SpanContext jobSpan;
    private volatile boolean ran;
    private volatile boolean parked;

    Delivery(String jobId, String traceId, String ingress, long count, Span span) {
        this.jobId = jobId;
        this.traceId = traceId;
        this.ingress = ingress;
        this.count = count;
        this.span = span;
    }

    static Optional<Delivery> current() {
        return Optional.ofNullable(Context.current().get(KEY));
    }

    Context storedIn(Context context) {
        return context.with(span).with(KEY, this);
    }

    void engineStarted(SpanContext jobSpan) {
        this.jobSpan = jobSpan;
        this.ran = true;
    }

    boolean ran() {
        return ran;
    }

    /** The engine stopped to wait for decisions on tool calls: the delivery ends interrupted. */
    void engineParked() {
        this.parked = true;
    }

    boolean parked() {
        return parked;
    }

    void modelCalled(long input, long output) {
        modelCalls.incrementAndGet();
        inputTokens.addAndGet(input);
        outputTokens.addAndGet(output);
    }

    /**
     * The span a result event's traceparent names: the job's span when the engine ran in this
     * delivery, else the delivery's own; null when tracing is off and no traceparent came in.
     */
    public static String resultSpanId() {
        return current().map(delivery -> delivery.jobSpan != null ? delivery.jobSpan : delivery.span.getSpanContext())
                .filter(SpanContext::isValid).map(SpanContext::getSpanId).orElse(null);
    }
}
