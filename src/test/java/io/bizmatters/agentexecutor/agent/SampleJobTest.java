package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's local run: examples/sample-job.json on a service with no model key and the offline model allowed. */
class SampleJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSampleJobRunsItsMultiAgentDefinitionOnTheOfflineModel() throws Exception {
        String sample = Files.readString(Path.of("examples/sample-job.json"));
        String jobId = JSON.readTree(sample).at("/data/job_id").asText();

        List<StreamedEvent> events;
        HttpResponse<String> response;
        try (RunningService service = RunningService.start(Map.of("AGENT_OFFLINE_MODEL", "auto"), EngineAssembly::create);
             StatusEvents status = StatusEvents.listen(TestServers.natsUrl())) {
            try (ChannelSubscriber stream = ChannelSubscriber.subscribe(TestServers.dragonflyPort(), "langgraph:stream:" + jobId)) {
                response = service.post(sample, "Content-Type", "application/cloudevents+json");
                events = StreamedEvent.untilTerminal(stream);
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            StatusEvents.Received completed = status.awaitFor(jobId);
            assertThat(completed.subject()).isEqualTo("agent.status.completed");
            String output = completed.event().at("/data/result/output").asText();
            assertThat(output).startsWith("[offline model]").contains("The specialist reported: [offline model]");
            assertThat(JSON.readTree(response.body()).at("/result/output").asText()).isEqualTo(output);

            JsonNode row = JSON.readTree(service.get("/jobs/" + jobId).body());
            assertThat(row.at("/usage/models")).isNotEmpty()
                    .allSatisfy(usage -> assertThat(usage.path("provider").asText()).isEqualTo("offline"));
        }

        assertThat(events.getLast().type()).isEqualTo("end");
        assertThat(events).filteredOn(e -> e.is("on_tool_start")).singleElement()
                .satisfies(e -> assertThat(e.node()).isEqualTo("orchestrator"))
                .satisfies(e -> assertThat(e.data().path("name").asText()).isEqualTo("task"))
                .satisfies(e -> assertThat(e.data().at("/input/subagent_type").asText()).isEqualTo("Changelog Writer"));
        assertThat(events).filteredOn(e -> e.is("on_llm_stream")).extracting(StreamedEvent::node)
                .contains("changelog-writer", "orchestrator");
    }
}
