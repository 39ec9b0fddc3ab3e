package io.bizmatters.agentexecutor.agent.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentOutcome.ModelUsage;
import io.bizmatters.agentexecutor.testsupport.JsonRoundTripSaver;
import io.bizmatters.agentexecutor.testsupport.MapToolCatalog;
import io.bizmatters.agentexecutor.testsupport.RecordingJobEvents;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.call;
import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.failure;
import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.text;
import static io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every provider must prove on the wire, through its real langchain4j client and a scripted
 * server speaking that provider's streaming format: a tool round trip, streamed tokens, token
 * usage, retries on 429 and the base-URL override. Each provider's test supplies the server and
 * asserts on the requests in the provider's own format.
 */
abstract class ProviderEngineContract<S extends ScriptedModelServer<S>> {
    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final String MODEL = "wire-model";
    protected static final String SYSTEM_PROMPT = "You forecast the weather.";
    protected static final String QUESTION = "Weather for Paris?";
    protected static final String TOOL_RESULT = "sunny in Paris";

    protected final S model = server();
    protected final RecordingJobEvents events = new RecordingJobEvents();
    protected final List<String> toolArguments = new CopyOnWriteArrayList<>();
    private final MapToolCatalog catalog = new MapToolCatalog().with("lookup_weather", (context, arguments) -> {
        toolArguments.add(arguments);
        return TOOL_RESULT;
    });
    protected final JsonRoundTripSaver saver = new JsonRoundTripSaver(new MemorySaver());

    /** A fresh scripted server for the provider under test. */
    protected abstract S server();

    /** The provider's name in {@code config.model.provider}. */
    protected abstract String provider();

    /** The environment that points the provider's client at {@link #model}. */
    protected abstract Map<String, String> providerEnvironment();

    /** Asserts the first request offers {@code lookup_weather} and carries the system prompt, in the provider's format. */
    protected abstract void assertFirstRequest(JsonNode request);

    /** Asserts the second request replays the tool call {@code w1} and carries {@link #TOOL_RESULT} for it. */
    protected abstract void assertToolRoundTrip(JsonNode request);

    @AfterEach
    void stopServer() {
        model.close();
    }

    protected AgentEngine engine(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(providerEnvironment());
        env.put("AGENT_MODEL_MAX_RETRIES", "2");
        env.put("AGENT_MODEL_RETRY_BACKOFF_MILLIS", "1");
        env.putAll(overrides);
        return new AgentEngine(saver, catalog, events, EngineSettings.fromEnvironment(env), Clock.systemUTC());
    }

    protected AgentJob job(String jobId) throws Exception {
        String definition = """
                {"tool_definitions": [{"name": "lookup_weather"}],
                 "nodes": [{"id": "forecaster", "type": "orchestrator",
                            "config": {"name": "Forecaster", "system_prompt": "%s",
                                       "model": {"provider": "%s", "model": "%s"}, "tools": ["lookup_weather"]}}]}
                """.formatted(SYSTEM_PROMPT, provider(), MODEL);
        return new AgentJob(jobId, "trace-" + jobId, (ObjectNode) JSON.readTree(definition),
                (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}"));
    }

    /** The model asks for {@code lookup_weather(city=Paris)} under the call id {@code w1}. */
    protected static ScriptedModelServer.Reply toolCallForParis() {
        return toolCalls(call("w1", "lookup_weather", Map.of("city", "Paris")));
    }

    @Test
    void theOrchestratorCallsAToolAndAnswersWithItsResult() throws Exception {
        model.enqueue(toolCallForParis(), text("Paris is sunny today."));

        AgentOutcome outcome = engine(Map.of()).run(job("job-wire"));

        assertThat(outcome.output()).isEqualTo("Paris is sunny today.");
        assertThat(model.calls()).isEqualTo(2);
        assertThat(toolArguments).singleElement().satisfies(arguments ->
                assertThat(JSON.readTree(arguments)).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}")));
        List<JsonNode> requests = model.requests();
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.path("model").asText()).isEqualTo(MODEL);
            assertThat(request.path("stream").asBoolean()).isTrue();
        });
        assertFirstRequest(requests.get(0));
        assertToolRoundTrip(requests.get(1));

        List<RecordingJobEvents.Recorded> recorded = events.of("job-wire");
        assertThat(recorded).filteredOn(e -> e.type().equals("token"))
                .allSatisfy(e -> assertThat(e.node()).isEqualTo("forecaster"))
                .extracting(RecordingJobEvents.Recorded::detail)
                .hasSizeGreaterThan(1)
                .satisfies(tokens -> assertThat(String.join("", tokens)).isEqualTo("Paris is sunny today."));
        assertThat(recorded).filteredOn(e -> e.type().equals("tool_call")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("lookup_weather"));
        assertThat(recorded).filteredOn(e -> e.type().equals("tool_result")).singleElement()
                .satisfies(e -> assertThat(e.payload()).isEqualTo(TOOL_RESULT));
        assertThat(recorded.getLast().type()).isEqualTo("end");

        assertThat(outcome.usage()).singleElement().isEqualTo(new ModelUsage(provider(), MODEL, 20, 10));
        DeepAgentState state = new DeepAgentState(saver.get(RunnableConfig.builder().threadId("job-wire").build())
                .orElseThrow().getState());
        assertThat(state.usage()).containsOnlyKeys(provider() + ":" + MODEL);
    }

    @Test
    void aRateLimitedCallIsRetried() throws Exception {
        model.enqueue(failure(429), text("All good"));

        AgentOutcome outcome = engine(Map.of()).run(job("job-wire-429"));

        assertThat(outcome.output()).isEqualTo("All good");
        assertThat(model.calls()).isEqualTo(2);
        assertThat(model.requests().get(0)).isEqualTo(model.requests().get(1));
    }
}
