package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.agent.graph.AgentEngine;
import io.bizmatters.agentexecutor.agent.tools.CamelToolCatalog;
import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaver;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;
import io.bizmatters.agentexecutor.telemetry.ObservedCheckpointSaver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The one place the service assembles its agent engine: the deep-agent graph on our PostgreSQL
 * checkpoint saver, tools from the Camel routes, events to Dragonfly, spans and metrics to telemetry. When a job is terminal its
 * checkpoints are pruned by the retention policy, off the job's thread: the periodic sweep
 * (routes/checkpoint-retention.camel.yaml) catches whatever that misses.
 */
public final class EngineAssembly implements AgentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EngineAssembly.class);

    private final AgentRunner engine;
    private final CheckpointRetention retention;

    private EngineAssembly(AgentRunner engine, CheckpointRetention retention) {
        this.engine = engine;
        this.retention = retention;
    }

    public static EngineAssembly create(SharedInfrastructure infrastructure) {
        var saver = new ObservedCheckpointSaver(new PostgresCheckpointSaver(infrastructure.dataSource()),
                infrastructure.telemetry(), infrastructure.operationalMetrics());
        var engine = new AgentEngine(saver, new CamelToolCatalog(infrastructure.camelContext(), List.of()),
                infrastructure.jobEvents(), infrastructure.settings().engine(), Clock.systemUTC(),
                new EngineTelemetry(infrastructure.telemetry(), infrastructure.operationalMetrics()));
        return new EngineAssembly(engine, infrastructure.checkpointRetention());
    }

    @Override
    public AgentOutcome run(AgentJob job) {
        try {
            AgentOutcome outcome = engine.run(job);
            pruneCheckpoints(job.jobId());
            return outcome;
        } catch (BadInput | JobFailure e) {
            pruneCheckpoints(job.jobId());
            throw e;
        }
    }

    private void pruneCheckpoints(String jobId) {
        Thread.ofVirtual().name("checkpoint-retention-" + jobId).start(() -> {
            try {
                retention.jobFinished(jobId);
            } catch (RuntimeException e) {
                LOG.warn("Could not prune the checkpoints of finished job {} (the periodic sweep will): {}",
                        jobId, e.getMessage());
            }
        });
    }
}
