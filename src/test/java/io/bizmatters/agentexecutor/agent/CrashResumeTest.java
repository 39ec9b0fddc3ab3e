package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service instance stops while a job waits on its model; a new instance on the same database and
 * NATS picks up the redelivered message and resumes the job from its last checkpoint.
 */
class CrashResumeTest {
    /** The Writer's second call, after its write_file: the crash lands inside a specialist's loop. */
    private static final int HELD_CALL = 6;
    /**
     * The orchestrator's calls 1 and 4 and its join of write_todos and the Researcher's task; the
     * Researcher's branch, which its final row compacted to one; the Writer's call 5 and its write_file
     * (START writes no row).
     */
    private static final int CHECKPOINTS_BEFORE_THE_HELD_CALL = 3 + 1 + 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServers.NatsServer natsServer = TestServers.NatsServer.start();
    private final OpenAiTestServer model = new OpenAiTestServer().enqueue(MultiAgentJob.script());
    private final OpenAiTestServer.HeldCall held = model.hold(HELD_CALL);
    private final String jobId = SampleJobs.newJobId();

    @AfterEach
    void stopServers() {
        model.close();
        natsServer.close();
    }

    /** An instance (a pod) on the shared servers; a grace of 1 s lets it give up a stuck job quickly. */
    private RunningService startInstance() {
        return RunningService.start(Map.of("NATS_URL", natsServer.url(), "SHUTDOWN_GRACE_SECONDS", "1",
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create);
    }

    /** Starts an instance, submits the job over NATS, and returns once the job waits on the held model call. */
    private RunningService startWithTheJobWaitingOnTheHeldCall(Connection client) throws Exception {
        RunningService instance = startInstance();
        client.jetStream().publish("agent.execute.test", MultiAgentJob.cloudEvent(jobId).getBytes(StandardCharsets.UTF_8));
        held.awaitArrival();
        return instance;
    }

    @Test
    void aJobCutOffMidRunResumesOnANewInstanceWithoutRepeatingFinishedModelCalls() throws Exception {
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url())) {
            RunningService crashing = startWithTheJobWaitingOnTheHeldCall(client);
            List<CheckpointRow> beforeCrash = CheckpointRow.of(jobId);
            assertThat(beforeCrash).hasSize(CHECKPOINTS_BEFORE_THE_HELD_CALL);
            assertThat(beforeCrash.getLast().nextNodeId()).isEqualTo("agent");

            crashing.close();

            assertThat(status.forJob(jobId)).isEmpty();
            assertThat(model.calls()).isEqualTo(HELD_CALL);
            try (RunningService resuming = startInstance()) {
                StatusEvents.Received completed = status.awaitFor(jobId);
                assertThat(completed.subject()).isEqualTo("agent.status.completed");
                assertThat(completed.event().at("/data/result/output").asText()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
                awaitNothingPending(client);

                JsonNode row = JSON.readTree(resuming.get("/jobs/" + jobId).body());
                assertThat(row.path("attempts").asInt()).isEqualTo(2);
                assertThat(MultiAgentJob.usageOf(row)).as("tokens of the 7 answered calls only")
                        .containsExactlyInAnyOrderElementsOf(MultiAgentJob.USAGE);
            }
            assertThat(status.forJob(jobId)).hasSize(1);
        }

        // The uninterrupted run's calls, plus the held call once more: it was cut off before its step
        // was checkpointed, so the resume must make it again; every earlier call is not repeated.
        assertThat(model.calls()).isEqualTo(MultiAgentJob.MODEL_CALLS + 1);
        List<JsonNode> requests = model.requests();
        assertThat(requests.get(HELD_CALL)).as("the repeated call asks exactly what the cut-off one asked")
                .isEqualTo(requests.get(HELD_CALL - 1));
        assertThat(model.unusedReplies()).isZero();
    }

    /**
     * Two pods: the stopping one hands its stuck job back after the grace period, the other resumes
     * and finishes it; then the stuck model call answers. The stopping pod must have dropped the job
     * by then: no second model call, no second result event, no checkpoint rows beside the other
     * pod's (a delta on a row its retention deleted would break the thread's chain).
     */
    @Test
    void aJobHandedBackAtShutdownIsFinishedOnlyByThePodThatResumedIt() throws Exception {
        try (StatusEvents status = StatusEvents.listen(natsServer.url()); Connection client = Nats.connect(natsServer.url())) {
            RunningService stopping = startWithTheJobWaitingOnTheHeldCall(client);
            try (RunningService resuming = startInstance()) {
                Thread stop = Thread.ofPlatform().name("stopping-pod").start(stopping::close);
                assertThat(status.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
                // The resuming pod made the remaining calls: the script is used up.
                model.enqueue(MultiAgentJob.script()[HELD_CALL - 1], MultiAgentJob.script()[HELD_CALL]);

                held.release();
                stop.join();

                awaitNothingPending(client);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(CheckpointRow.of(jobId)).hasSize(1));
                assertThat(CheckpointRow.of(jobId).getFirst().lastMessage()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
            }
            assertThat(status.forJob(jobId)).hasSize(1);
        }
        assertThat(model.calls()).isEqualTo(MultiAgentJob.MODEL_CALLS + 1);
    }

    private static void awaitNothingPending(Connection client) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConsumerInfo consumer = client.jetStreamManagement().getConsumerInfo("AGENT_EXECUTION", "agent-executor-workers");
            assertThat(consumer.getNumAckPending()).isZero();
            assertThat(consumer.getNumPending()).isZero();
        });
    }
}
