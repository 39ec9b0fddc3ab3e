package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.testsupport.OllamaTestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.call;
import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.text;
import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine on an Ollama model, through the real langchain4j client and an NDJSON {@code /api/chat} server. */
class OllamaEngineTest extends ProviderEngineContract<OllamaTestServer> {

    @Override
    protected OllamaTestServer server() {
        return new OllamaTestServer();
    }

    @Override
    protected String provider() {
        return "ollama";
    }

    @Override
    protected Map<String, String> providerEnvironment() {
        return Map.of("OLLAMA_BASE_URL", model.baseUrl());
    }

    @Override
    protected void assertFirstRequest(JsonNode request) {
        assertThat(request.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(request.at("/messages/0/content").asText()).isEqualTo(SYSTEM_PROMPT);
        assertThat(request.at("/messages/1/content").asText()).isEqualTo(QUESTION);
        assertThat(request.path("tools")).anySatisfy(tool -> {
            assertThat(tool.path("type").asText()).isEqualTo("function");
            assertThat(tool.at("/function/name").asText()).isEqualTo("lookup_weather");
            assertThat(tool.at("/function/parameters/type").asText()).isEqualTo("object");
        });
    }

    @Override
    protected void assertToolRoundTrip(JsonNode request) {
        JsonNode messages = request.path("messages");
        assertThat(messages).hasSize(4);
        JsonNode toolCall = messages.get(2);
        assertThat(toolCall.path("role").asText()).isEqualTo("assistant");
        assertThat(toolCall.path("tool_calls")).singleElement().satisfies(call -> {
            assertThat(call.at("/function/name").asText()).isEqualTo("lookup_weather");
            assertThat(call.at("/function/arguments/city").asText()).isEqualTo("Paris");
        });
        assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(3).path("content").asText()).isEqualTo(TOOL_RESULT);
    }

    /** Ollama sends tool calls without ids; each must still be answered, in order. */
    @Test
    void twoToolCallsWithoutIdsInOneAnswerBothRun() throws Exception {
        model.enqueue(toolCalls(call("ignored-1", "lookup_weather", Map.of("city", "Paris")),
                        call("ignored-2", "lookup_weather", Map.of("city", "Lyon"))),
                text("Both sunny."));

        AgentOutcome outcome = engine(Map.of()).run(job("job-ollama-two-calls"));

        assertThat(outcome.output()).isEqualTo("Both sunny.");
        // the two calls run at once; their results go back in the model's order
        assertThat(toolArguments).containsExactlyInAnyOrder("{\"city\":\"Paris\"}", "{\"city\":\"Lyon\"}");
        JsonNode messages = model.requests().get(1).path("messages");
        assertThat(messages).hasSize(5);
        assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(4).path("role").asText()).isEqualTo("tool");
    }
}
