package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobExecutionEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobExecutionEvents events = new JobExecutionEvents(16);

    @Test
    void everyMissingFieldIsReportedAtOnce() {
        assertThatThrownBy(() -> events.toAgentJob(JSON.createObjectNode()))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.fields())
                        .containsExactly("data.job_id", "data.trace_id", "data.agent_definition", "data.input_payload"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"job\u0000x", "job\nforged", "job\u001b[2J", "seventeen-chars-x", "job\ud800x", "  "})
    void anIdThatCannotBeStoredOrLoggedSafelyIsRejectedWithoutQuotingIt(String jobId) throws Exception {
        ObjectNode data = (ObjectNode) JSON.readTree(SampleJobs.jobExecutionEvent("j", "t"));
        data.put("job_id", jobId);

        assertThatThrownBy(() -> events.toAgentJob(data))
                .isInstanceOfSatisfying(BadInput.class, e -> {
                    assertThat(e.field()).isEqualTo("data.job_id");
                    assertThat(e.getMessage()).doesNotContain(jobId.strip().isEmpty() ? "\u0001" : jobId);
                });
        assertThat(events.readableJobId(data)).isEqualTo(JobExecutionEvents.UNKNOWN_JOB_ID);
    }

    @Test
    void aNulAnywhereInTheEventIsNamedByItsPath() throws Exception {
        ObjectNode data = (ObjectNode) JSON.readTree(SampleJobs.jobExecutionEvent("j", "t"));
        ((ObjectNode) data.at("/input_payload/messages/0")).put("content", "a\u0000b");

        assertThatThrownBy(() -> events.toAgentJob(data))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("data.input_payload.messages[0].content"));
    }

    @Test
    void aQuotedValueIsEscapedAndCut() {
        assertThat(BadInput.quote("a\nb\u0000c")).isEqualTo("'a\\u000ab\\u0000c'");
        assertThat(BadInput.quote("x".repeat(100))).hasSize(64 + 5).endsWith("...'");
    }
}
