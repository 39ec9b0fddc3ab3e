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
 * checkpoint saver, tools from the Camel routes, events to Dragonfly, spans and metrics to
 * telemetry. A job that completes was pruned by its final checkpoint's own write (retention
 * {@code last}); a parked job keeps its checkpoints, as it resumes from them; a job that failed
 * has no final checkpoint, so its checkpoints are pruned here, off the job's thread. The periodic sweep
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
        boolean keepOnlyLast = infrastructure.settings().checkpointRetention().keepLast();
        var saver = new ObservedCheckpointSaver(new PostgresCheckpointSaver(infrastructure.dataSource(), keepOnlyLast,
                        infrastructure.newThreads()),
                infrastructure.telemetry(), infrastructure.operationalMetrics());
        var engine = new AgentEngine(saver, new CamelToolCatalog(infrastructure.camelContext(), List.of()),
                infrastructure.jobEvents(), infrastructure.settings().engine(), Clock.systemUTC(), infrastructure.jobControls(),
                new EngineTelemetry(infrastructure.telemetry(), infrastructure.operationalMetrics()));
        return new EngineAssembly(engine, infrastructure.checkpointRetention());
    }

    @Override
    public AgentOutcome run(AgentJob job) {
        try {
            return engine.run(job);
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
