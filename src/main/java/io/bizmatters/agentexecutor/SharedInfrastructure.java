package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.checkpoint.NewThreads;
import io.bizmatters.agentexecutor.observability.OperationalMetrics;
import io.bizmatters.agentexecutor.telemetry.Telemetry;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import org.apache.camel.CamelContext;

import javax.sql.DataSource;
import java.util.function.Supplier;

/**
 * What the service hands its agent engine, and nothing more: the same objects are bound in the Camel
 * registry as {@code settings}, {@code dataSource}, {@code checkpointRetention} and
 * {@code operationalMetrics}; {@code jobEvents} streams to Dragonfly; {@code telemetry} is the
 * OpenTelemetry of the service's traces.
 *
 * @param camelContext the running context, e.g. to call tool routes; available once the service has started
 * @param jobControls  the control (cancels, deadline) of each job this process runs, for the engine to obey
 * @param newThreads   the job threads whose claim found no checkpoint, for the checkpoint saver to skip reading
 */
public record SharedInfrastructure(Settings settings, DataSource dataSource,
                                   CheckpointRetention checkpointRetention, JobEventPublisher jobEvents,
                                   Supplier<CamelContext> camelContext, JobControl.Lookup jobControls,
                                   Telemetry telemetry, OperationalMetrics operationalMetrics, NewThreads newThreads) {
}
