package io.bizmatters.agentexecutor.jobs;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

import java.util.List;

/**
 * Links a job's deliveries: the jobs row keeps the span id of each delivery (migration V9, docs/observability.md), and a
 * redelivery's span links to the earlier ones, so a trace viewer leads from a resumed run to the
 * run that crashed. All deliveries of a job share its trace id (its traceparent or trace_id).
 */
final class DeliverySpans {
    private DeliverySpans() {
    }

    /** The current delivery's span id to store, or null when its span is not recorded. */
    static String currentSpanId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() && span.isSampled() ? span.getSpanId() : null;
    }

    /** Links the current delivery's span to the spans of the job's earlier deliveries. */
    static void linkEarlier(List<String> earlierSpanIds) {
        Span current = Span.current();
        SpanContext own = current.getSpanContext();
        if (!current.isRecording()) {
            return;
        }
        for (String spanId : earlierSpanIds) {
            if (!spanId.equals(own.getSpanId())) {
                current.addLink(SpanContext.create(own.getTraceId(), spanId, TraceFlags.getSampled(), TraceState.getDefault()));
            }
        }
    }
}
