package io.bizmatters.agentexecutor.telemetry;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.cloudevents.CloudEventReader;
import io.bizmatters.agentexecutor.ingress.Deliveries;
import io.bizmatters.agentexecutor.observability.OperationalMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.logging.log4j.ThreadContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Every delivery of a job, from the CloudEvent read to the answer: its span (a consumer span for
 * JetStream, a server span for HTTP), one INFO line at its start and one at its end, and the
 * in-flight, attempt and queue-wait metrics. {@link #begin} is the step after the read in
 * execute-agent.camel.yaml, and after a resume was taken in resume-job.camel.yaml (a resume that is
 * rejected or a duplicate runs nothing and is no delivery). The delivery ends when that route is done, failures answered or not,
 * as the route's policy: on the thread that began it, where its context must be detached (an HTTP
 * exchange completes on the event loop). Camel skips route policies while it stops, so an
 * on-completion ends a delivery drained at shutdown.
 *
 * <p>The delivery's context is current on the job's thread in between: every span of the job
 * descends from it, and every log line carries its trace_id and span_id.
 */
public class JobDeliveries extends RoutePolicySupport {
    private static final Logger LOG = LoggerFactory.getLogger(JobDeliveries.class);
    private static final String OPEN = "agentExecutorOpenDelivery";
    private static final String RESUME_ROUTE = "/jobs/{jobId}/resume";
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;
    private final OperationalMetrics metrics;

    public JobDeliveries(Tracer tracer, OperationalMetrics metrics) {
        this.tracer = tracer;
        this.metrics = metrics;
    }

    private record Open(Delivery delivery, Scope scope, Thread thread) {
    }

    public void begin(AgentJob job, Exchange exchange) {
        boolean jetStream = Deliveries.cameFromJetStream(exchange);
        String ingress = jetStream ? OperationalMetrics.JETSTREAM : OperationalMetrics.HTTP;
        long count = exchange.getIn().getHeader("JetStreamDeliveredCount", 1L, Long.class);
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(),
                exchange.getProperty(CloudEventReader.INCOMING_TRACEPARENT, String.class), TRACEPARENT);
        SpanBuilder builder = jetStream ? consumerSpan(exchange) : serverSpan(exchange);
        builder.setAttribute(Conventions.JOB_ID, job.jobId()).setAttribute(Conventions.DELIVERY_COUNT, count);
        Span span = Span.fromContext(parent).getSpanContext().isValid()
                ? builder.setParent(parent).startSpan()
                : JobTraceIds.startRoot(builder, JobTraceIds.forJob(job.traceId()));
        Delivery delivery = new Delivery(job.jobId(), job.traceId(), ingress, count, span);
        exchange.setProperty(OPEN, new Open(delivery, delivery.storedIn(parent).makeCurrent(), Thread.currentThread()));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                end(done);
            }
        });
        ThreadContext.put("job_id", job.jobId());
        metrics.deliveryStarted(ingress);
        queueWait(exchange);
        LOG.atInfo().addKeyValue("ingress", ingress).addKeyValue("delivery", count).addKeyValue("resume", job.isResume())
                .log("Job {} started: trace_id={} ingress={} delivery={}{}", job.jobId(), job.traceId(), ingress, count,
                        job.isResume() ? " resume=true" : "");
    }

    private SpanBuilder consumerSpan(Exchange exchange) {
        String subject = exchange.getIn().getHeader("JetStreamSubject", "agent.execute", String.class);
        return tracer.spanBuilder("process " + subject).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(Conventions.MESSAGING_SYSTEM, "nats")
                .setAttribute(Conventions.MESSAGING_OPERATION, "process")
                .setAttribute(Conventions.MESSAGING_DESTINATION, subject);
    }

    private SpanBuilder serverSpan(Exchange exchange) {
        String route = httpRoute(exchange);
        return tracer.spanBuilder("POST " + route).setSpanKind(SpanKind.SERVER)
                .setAttribute(Conventions.HTTP_METHOD, "POST").setAttribute(Conventions.HTTP_ROUTE, route);
    }

    /** The route's template, never the path: a job id in a span name would make every name unique. */
    private static String httpRoute(Exchange exchange) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class);
        return path.contains("/jobs/") && path.endsWith("/resume") ? RESUME_ROUTE : "/";
    }

    private void queueWait(Exchange exchange) {
        String time = exchange.getProperty(CloudEventReader.EVENT_TIME, String.class);
        if (time == null) {
            return;
        }
        try {
            Duration wait = Duration.between(OffsetDateTime.parse(time), OffsetDateTime.now());
            metrics.queueWait(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            LOG.debug("CloudEvent time {} is not RFC 3339; no queue wait recorded", time);
        }
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        end(exchange);
    }

    private void end(Exchange exchange) {
        Open open = exchange.getProperty(OPEN, Open.class);
        if (open == null || exchange.removeProperty(OPEN) == null) {
            return; // no readable job, or ended already
        }
        Delivery delivery = open.delivery();
        DeliveryOutcome outcome = DeliveryOutcome.of(exchange, delivery);
        Integer httpStatus = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (!Deliveries.cameFromJetStream(exchange)) {
            delivery.span.setAttribute(Conventions.HTTP_STATUS, httpStatus == null ? 200L : httpStatus.longValue());
        }
        delivery.span.setAttribute(Conventions.JOB_STATUS, outcome.status());
        if (outcome.errorType() != null) {
            delivery.span.setAttribute(Conventions.ERROR_TYPE, outcome.errorType());
        }
        if (outcome.isError()) {
            delivery.span.setStatus(StatusCode.ERROR);
        }
        long millis = Duration.ofNanos(System.nanoTime() - delivery.startedNanos).toMillis();
        try {
            logEnd(delivery, outcome, millis);
        } finally {
            delivery.span.end();
            if (open.thread() == Thread.currentThread()) {
                // Elsewhere neither can be undone; the beginning thread's next delivery replaces both.
                open.scope().close();
                ThreadContext.remove("job_id");
            }
            metrics.deliveryEnded();
        }
    }

    private static void logEnd(Delivery delivery, DeliveryOutcome outcome, long millis) {
        var line = LOG.atInfo().addKeyValue("status", outcome.status()).addKeyValue("duration_ms", millis)
                .addKeyValue("ingress", delivery.ingress).addKeyValue("delivery", delivery.count)
                .addKeyValue("model_calls", delivery.modelCalls.get())
                .addKeyValue("input_tokens", delivery.inputTokens.get())
                .addKeyValue("output_tokens", delivery.outputTokens.get());
        String error = "";
        if (outcome.errorType() != null) {
            line = line.addKeyValue("error_type", outcome.errorType());
            error = " error_type=" + outcome.errorType();
        }
        line.log("Job {} ended: status={} duration_ms={} trace_id={} ingress={} delivery={} model_calls={} "
                        + "input_tokens={} output_tokens={}{}", delivery.jobId, outcome.status(), millis, delivery.traceId,
                delivery.ingress, delivery.count, delivery.modelCalls.get(), delivery.inputTokens.get(),
                delivery.outputTokens.get(), error);
    }
}
