package io.bizmatters.agentexecutor.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.checkpoint.CheckpointDatabase;
import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaver;
import io.bizmatters.agentexecutor.checkpoint.RetentionPolicy;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The one wrapper around the engine, on real PostgreSQL checkpoints: what nothing classified
 * becomes the job's own failure with its cause, what was classified passes as it is, and a job
 * whose failure ends it is pruned to its last checkpoint while one that is retried keeps them all.
 */
class EngineRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PostgresCheckpointSaver saver = new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false);
    private final CheckpointRetention retention = new CheckpointRetention(CheckpointDatabase.dataSource(), new RetentionPolicy(true, 7));

    @Test
    void anUnforeseenExceptionFailsTheJobWithItsCauseAndPrunesItsCheckpoints() {
        IllegalStateException bug = new IllegalStateException("a library surprise");
        AgentJob job = job();

        Throwable thrown = catchThrowable(() -> runs(failingAfterThreeSteps(bug)).run(job));

        assertThat(thrown).isInstanceOf(JobFailure.class).hasMessage("a library surprise").hasCause(bug);
        assertThat(((JobFailure) thrown).isUnforeseen()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(job) == 1);
    }

    @Test
    void aClassifiedFailurePassesAsItIsAndOnlyOneThatEndsTheJobPrunes() {
        InfrastructureFault outage = new InfrastructureFault("postgres", "connection refused", null);
        BadInput badDefinition = new BadInput("data.agent_definition", "the definition names no orchestrator");
        AgentJob retried = job();
        AgentJob rejected = job();

        assertThat(catchThrowable(() -> runs(failingAfterThreeSteps(outage)).run(retried))).isSameAs(outage);
        assertThat(catchThrowable(() -> runs(failingAfterThreeSteps(badDefinition)).run(rejected))).isSameAs(badDefinition);

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(rejected) == 1);
        assertThat(rows(retried)).as("a job retried from its checkpoints keeps them").isEqualTo(3);
    }

    private EngineRuns runs(AgentRunner engine) {
        return new EngineRuns(engine, null, retention);
    }

    /** An engine that checkpoints three steps of the job, then meets {@code failure}. */
    private AgentRunner failingAfterThreeSteps(RuntimeException failure) {
        return job -> {
            RunnableConfig config = RunnableConfig.builder().threadId(job.jobId()).build();
            for (int step = 1; step <= 3; step++) {
                saver.put(config, Checkpoint.builder().nodeId("agent").nextNodeId("tools").state(Map.of("steps", step)).build());
            }
            throw failure;
        };
    }

    private static AgentJob job() {
        return new AgentJob("job-" + UUID.randomUUID(), "trace", JSON.createObjectNode(), JSON.createObjectNode());
    }

    private static long rows(AgentJob job) {
        return CheckpointDatabase.count("SELECT count(*) FROM checkpoints WHERE thread_id = ?", job.jobId());
    }
}
