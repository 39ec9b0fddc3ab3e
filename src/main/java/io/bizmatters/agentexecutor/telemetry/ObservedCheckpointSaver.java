package io.bizmatters.agentexecutor.telemetry;

import io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaver;
import io.bizmatters.agentexecutor.observability.OperationalMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

import java.util.Collection;
import java.util.Optional;

/**
 * Our PostgreSQL checkpoint saver whose writes are spans of the job's trace and samples of the
 * write-latency histogram. A put the saver leaves out (the START checkpoint) is neither: it costs
 * no round trip, and a near-zero sample would only pull the histogram down.
 */
public final class ObservedCheckpointSaver implements BaseCheckpointSaver {
    private final PostgresCheckpointSaver saver;
    private final Tracer tracer;
    private final OperationalMetrics metrics;

    public ObservedCheckpointSaver(PostgresCheckpointSaver saver, Telemetry telemetry, OperationalMetrics metrics) {
        this.saver = saver;
        this.tracer = telemetry.tracer();
        this.metrics = metrics;
    }

    @Override
    public RunnableConfig put(RunnableConfig config, Checkpoint checkpoint) throws Exception {
        if (!PostgresCheckpointSaver.writes(config, checkpoint)) {
            return saver.put(config, checkpoint);
        }
        Span span = tracer.spanBuilder("checkpoint write").setSpanKind(SpanKind.CLIENT)
                .setAttribute(Conventions.DB_SYSTEM, "postgresql").setAttribute(Conventions.DB_OPERATION, "INSERT")
                .setAttribute(Conventions.DB_COLLECTION, "checkpoints")
                .setAttribute(Conventions.GRAPH_NODE, checkpoint.getNodeId()).startSpan();
        long started = System.nanoTime();
        try {
            return saver.put(config, checkpoint);
        } catch (Exception e) {
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            metrics.checkpointWritten(System.nanoTime() - started);
            span.end();
        }
    }

    @Override
    public Collection<Checkpoint> list(RunnableConfig config) {
        return saver.list(config);
    }

    @Override
    public Optional<Checkpoint> get(RunnableConfig config) {
        return saver.get(config);
    }

    @Override
    public Tag release(RunnableConfig config) throws Exception {
        return saver.release(config);
    }
}
