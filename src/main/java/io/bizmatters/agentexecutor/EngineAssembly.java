package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.agent.graph.AgentEngine;
import io.bizmatters.agentexecutor.agent.tools.CamelToolCatalog;
import io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaver;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;
import io.bizmatters.agentexecutor.telemetry.ObservedCheckpointSaver;

import java.time.Clock;
import java.util.List;

/**
 * The one place the service assembles its agent engine: the deep-agent graph on our PostgreSQL
 * checkpoint saver, tools from the Camel routes, events to Dragonfly, spans and metrics to
 * telemetry. A job that completes is pruned by its final checkpoint's own write (retention
 * {@code last}); what wraps the engine for every job (job control, failure classification, the
 * pruning of a failed job) is {@code execution.EngineRuns}.
 */
public final class EngineAssembly {
    private EngineAssembly() {
    }

    public static AgentRunner create(SharedInfrastructure infrastructure) {
        boolean keepOnlyLast = infrastructure.settings().checkpointRetention().keepLast();
        var saver = new ObservedCheckpointSaver(new PostgresCheckpointSaver(infrastructure.dataSource(), keepOnlyLast,
                        infrastructure.newThreads()),
                infrastructure.telemetry(), infrastructure.operationalMetrics());
        return new AgentEngine(saver, new CamelToolCatalog(infrastructure.camelContext(), List.of()),
                infrastructure.jobEvents(), infrastructure.settings().engine(), Clock.systemUTC(), infrastructure.jobControls(),
                new EngineTelemetry(infrastructure.telemetry(), infrastructure.operationalMetrics()));
    }
}
