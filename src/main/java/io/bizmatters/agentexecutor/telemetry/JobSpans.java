package io.bizmatters.agentexecutor.telemetry;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * The engine's run of a job as one span, {@code invoke_agent}, under the delivery's: every step,
 * model call, tool execution and checkpoint write of the run is beneath it, and its id is what the
 * result event's traceparent names.
 */
public final class JobSpans implements AgentRunner {
    private final AgentRunner engine;
    private final Tracer tracer;

    public JobSpans(AgentRunner engine, Telemetry telemetry) {
        this.engine = engine;
        this.tracer = telemetry.tracer();
    }

    @Override
    public AgentOutcome run(AgentJob job) {
        Span span = tracer.spanBuilder("invoke_agent").setAttribute(Conventions.GEN_AI_OPERATION, "invoke_agent")
                .setAttribute(Conventions.GEN_AI_CONVERSATION_ID, job.jobId())
                .setAttribute(Conventions.JOB_ID, job.jobId()).startSpan();
        Delivery.current().ifPresent(delivery -> delivery.engineStarted(span.getSpanContext()));
        try (Scope ignored = span.makeCurrent()) {
            AgentOutcome outcome = engine.run(job);
            if (outcome.isParked()) {
                span.setAttribute(Conventions.JOB_STATUS, "interrupted");
                Delivery.current().ifPresent(Delivery::engineParked);
            }
            return outcome;
        } catch (RuntimeException e) {
            EngineTelemetry.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }
}
