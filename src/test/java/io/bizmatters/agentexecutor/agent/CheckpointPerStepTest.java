package io.bizmatters.agentexecutor.agent;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service writes to the checkpoints table per step of the multi-agent job, with retention
 * off ({@code CHECKPOINT_RETENTION=none}) so every row stays to be read. Prints rows and bytes per
 * step, the figures docs/checkpoints.md quotes.
 */
class CheckpointPerStepTest {

    @Test
    void everyStepWritesOneRowAndOnlyTheFirstHoldsTheWholeState() {
        String jobId = SampleJobs.newJobId();
        try (OpenAiTestServer model = new OpenAiTestServer();
             RunningService service = RunningService.start(Map.of("CHECKPOINT_RETENTION", "none",
                     "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create)) {
            model.enqueue(MultiAgentJob.script());

            assertThat(service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json")
                    .statusCode()).isEqualTo(200);
        }

        List<CheckpointRow> rows = CheckpointRow.of(jobId);
        // Each specialist's steps are rows of its branch (named after its task call); the
        // orchestrator's tools step is one row, written at the join.
        assertThat(rows).extracting(row -> row.branch() + ":" + row.nodeId()).containsExactly(
                ":agent", "1/task/c2:agent", "1/task/c2:tools", "1/task/c2:agent", ":tools",
                ":agent", "2/task/c3:agent", "2/task/c3:tools", "2/task/c3:agent", ":tools", ":agent");
        assertThat(rows.getLast().nextNodeId()).isEqualTo("__END__");
        assertThat(rows.getLast().lastMessage()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
        assertThat(rows).filteredOn(CheckpointRow::whole).extracting(CheckpointRow::branch)
                .as("the first row of each thread is whole, every other a delta").containsExactly("", "1/task/c2", "2/task/c3");
        assertThat(rows).filteredOn(row -> row.branch().isEmpty()).extracting(row -> row.state().path("steps").asInt())
                .as("a join adds the calls and the specialist's steps").containsExactly(1, 6, 7, 11, 12);

        long json = rows.stream().mapToLong(CheckpointRow::jsonBytes).sum();
        long stored = rows.stream().mapToLong(CheckpointRow::storedBytes).sum();
        long wholeStates = rows.stream().mapToLong(CheckpointRow::stateBytes).sum();
        System.out.printf("checkpoints of the 1+2 agent job: %d rows for %d steps; JSON written %d bytes (%d per row,"
                        + " largest row %d), stored %d bytes; whole state in every row would be %d bytes%n",
                rows.size(), rows.getLast().state().path("steps").asInt(), json, json / rows.size(),
                rows.stream().mapToLong(CheckpointRow::jsonBytes).max().orElseThrow(), stored, wholeStates);
    }
}
