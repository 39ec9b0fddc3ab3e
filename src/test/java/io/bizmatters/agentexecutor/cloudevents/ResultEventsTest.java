package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 64 * 1024;
    private final ResultEvents events = new ResultEvents(JSON, "agent-executor-service", LIMIT);

    @Test
    void aResultLargerThanTheLimitIsCutWithAMarkerWhileTheRowKeepsItAll() throws Exception {
        String output = "é".repeat(200_000);
        JsonNode stored = events.result(new AgentOutcome(output, List.of()));

        CloudEvent event = events.completed("job-1", "trace", stored, null);

        assertThat(events.serialize(event).length).isLessThanOrEqualTo(LIMIT);
        String published = JSON.readTree(event.getData().toBytes()).at("/result/output").asText();
        assertThat(published).startsWith("éé").endsWith("[truncated from 200000 characters; the full value is at GET /jobs/job-1]");
        assertThat(stored.get("output").asText()).isEqualTo(output);
    }

    @Test
    void aHugeFailureMessageAndTraceAreBothCut() {
        RuntimeException cause = new IllegalStateException("m".repeat(300_000));
        CloudEvent event = events.failed("job-2", null, events.error(JobFailure.unforeseen(cause.getMessage(), cause)));

        assertThat(events.serialize(event).length).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void badInputCarriesNoStackTraceAndNulIsStorable() {
        JsonNode error = events.error(new BadInput("data.x", "bad \u0000 value"));

        assertThat(error.get("stack_trace").asText()).isEmpty();
        assertThat(error.get("message").asText()).doesNotContain("\u0000");
    }

    @Test
    void anUnforeseenFailureKeepsItsOwnFramesAndNoFrameworkFrames() {
        JsonNode error = events.error(JobFailure.unforeseen("boom", new IllegalStateException("boom")));

        assertThat(error.get("stack_trace").asText()).contains("ResultEventsTest").doesNotContain("org.apache.camel");
    }
}
