package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.testsupport.AnthropicTestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.call;
import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.text;
import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine on an Anthropic model, through the real langchain4j client and a Messages API SSE server. */
class AnthropicEngineTest extends ProviderEngineContract<AnthropicTestServer> {

    @Override
    protected AnthropicTestServer server() {
        return new AnthropicTestServer();
    }

    @Override
    protected String provider() {
        return "anthropic";
    }

    @Override
    protected Map<String, String> providerEnvironment() {
        return Map.of("ANTHROPIC_API_KEY", "anthropic-test-key", "ANTHROPIC_BASE_URL", model.baseUrl());
    }

    @Override
    protected void assertFirstRequest(JsonNode request) {
        assertThat(request.path("max_tokens").asInt()).isPositive();
        assertThat(request.path("system").toString()).contains(SYSTEM_PROMPT);
        assertThat(request.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(request.at("/messages/0/content").toString()).contains(QUESTION);
        assertThat(request.path("tools")).anySatisfy(tool -> {
            assertThat(tool.path("name").asText()).isEqualTo("lookup_weather");
            assertThat(tool.path("description").asText()).isEqualTo("test tool lookup_weather");
            assertThat(tool.at("/input_schema/type").asText()).isEqualTo("object");
        });
    }

    @Override
    protected void assertToolRoundTrip(JsonNode request) {
        JsonNode messages = request.path("messages");
        assertThat(messages).hasSize(3);
        JsonNode toolUse = messages.get(1);
        assertThat(toolUse.path("role").asText()).isEqualTo("assistant");
        assertThat(toolUse.path("content")).anySatisfy(block -> {
            assertThat(block.path("type").asText()).isEqualTo("tool_use");
            assertThat(block.path("id").asText()).isEqualTo("w1");
            assertThat(block.path("name").asText()).isEqualTo("lookup_weather");
            assertThat(block.at("/input/city").asText()).isEqualTo("Paris");
        });
        JsonNode toolResult = messages.get(2);
        assertThat(toolResult.path("role").asText()).isEqualTo("user");
        assertThat(toolResult.path("content")).singleElement().satisfies(block -> {
            assertThat(block.path("type").asText()).isEqualTo("tool_result");
            assertThat(block.path("tool_use_id").asText()).isEqualTo("w1");
            assertThat(block.path("content").toString()).contains(TOOL_RESULT);
        });
    }

    @Test
    void theToolCallStreamsInPiecesAndTheKeyAndVersionGoInHeaders() throws Exception {
        model.enqueue(toolCallForParis(), text("Sunny."));

        engine(Map.of()).run(job("job-anthropic-headers"));

        assertThat(events.of("job-anthropic-headers")).filteredOn(e -> e.type().equals("tool_call_chunk"))
                .hasSize(2).allSatisfy(e -> assertThat(e.detail()).isEqualTo("lookup_weather"))
                .extracting(e -> (String) e.payload())
                .satisfies(pieces -> assertThat(String.join("", pieces)).isEqualTo("{\"city\":\"Paris\"}"));
        assertThat(model.requestHeaders()).hasSize(2).allSatisfy(headers -> {
            assertThat(headers.getFirst("x-api-key")).isEqualTo("anthropic-test-key");
            assertThat(headers.getFirst("anthropic-version")).isNotBlank();
        });
    }

    /** Anthropic wants every tool_result of one answer in the single user message that follows it. */
    @Test
    void twoToolCallsInOneAnswerAreAnsweredInOneUserMessage() throws Exception {
        model.enqueue(toolCalls(call("w1", "lookup_weather", Map.of("city", "Paris")),
                call("w2", "lookup_weather", Map.of("city", "Lyon"))), text("Both sunny."));

        engine(Map.of()).run(job("job-anthropic-two-calls"));

        JsonNode messages = model.requests().get(1).path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(2).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(2).path("content")).extracting(block -> block.path("tool_use_id").asText())
                .containsExactly("w1", "w2");
    }

    @Test
    void aMissingKeyFailsTheJobNamingTheVariable() throws Exception {
        assertThatThrownBy(() -> engine(Map.of("ANTHROPIC_API_KEY", "")).run(job("job-anthropic-nokey")))
                .isInstanceOf(JobFailure.class).hasMessageContaining("ANTHROPIC_API_KEY");
        assertThat(model.calls()).isZero();
        assertThat(events.of("job-anthropic-nokey")).filteredOn(e -> !e.type().equals("agents")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo("error"))
                .satisfies(e -> assertThat(e.payload().toString()).contains("ANTHROPIC_API_KEY"));
    }
}
