package io.bizmatters.agentexecutor.telemetry;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.bizmatters.agentexecutor.agent.models.AgentModel;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.observability.OperationalMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model-call and tool spans at the unit level, on the SDK's in-memory exporter. */
class EngineTelemetryTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
            .build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AgentModel model = new AgentModel(null, "anthropic", "claude-test");
    private final ChatRequest request = ChatRequest.builder()
            .messages(SystemMessage.from("You count words."), UserMessage.from("Count: a b c")).build();
    private final ChatResponse response = ChatResponse.builder()
            .aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("t1").name("word_count").arguments("{\"text\":\"a b c\"}").build()))
            .tokenUsage(new TokenUsage(12, 3)).finishReason(FinishReason.TOOL_EXECUTION).id("msg-1").modelName("claude-test-2025")
            .build();

    private EngineTelemetry telemetry(boolean captureContent) {
        return new EngineTelemetry(Telemetry.of(sdk, captureContent), new OperationalMetrics(meters, 10));
    }

    @Test
    void aModelCallIsAGenAiChatSpanWithoutTheConversationByDefault() {
        telemetry(false).modelCall("researcher", "Researcher", model, request, () -> response);

        SpanData chat = exported.getFinishedSpanItems().getFirst();
        assertThat(chat.getName()).isEqualTo("chat claude-test");
        assertThat(chat.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("gen_ai.operation.name"), "chat")
                .containsEntry(AttributeKey.stringKey("gen_ai.provider.name"), "anthropic")
                .containsEntry(AttributeKey.stringKey("gen_ai.agent.name"), "Researcher")
                .containsEntry(AttributeKey.stringKey("gen_ai.response.model"), "claude-test-2025")
                .containsEntry(AttributeKey.stringKey("gen_ai.response.id"), "msg-1")
                .containsEntry(AttributeKey.longKey("gen_ai.usage.input_tokens"), 12L)
                .containsEntry(AttributeKey.longKey("gen_ai.usage.output_tokens"), 3L)
                .containsEntry(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("tool_calls"))
                .doesNotContainKey(AttributeKey.stringKey("gen_ai.input.messages"));
        assertThat(meters.get("agent.executor.model.call.duration").tags("provider", "anthropic", "model", "claude-test",
                "outcome", "ok").timer().count()).isEqualTo(1);
    }

    @Test
    void capturedContentIsTheConventionsMessageJson() {
        telemetry(true).modelCall("researcher", "Researcher", model, request, () -> response);

        Map<AttributeKey<?>, Object> attributes = exported.getFinishedSpanItems().getFirst().getAttributes().asMap();
        assertThat(attributes.get(AttributeKey.stringKey("gen_ai.input.messages"))).isEqualTo(
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You count words.\"}]},"
                        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Count: a b c\"}]}]");
        assertThat(attributes.get(AttributeKey.stringKey("gen_ai.output.messages"))).isEqualTo(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"t1\",\"name\":\"word_count\","
                        + "\"arguments\":\"{\\\"text\\\":\\\"a b c\\\"}\"}]}]");
    }

    @Test
    void aProviderThatStaysDownEndsTheSpanAsAnErrorAndIsCountedUnavailable() {
        assertThatThrownBy(() -> telemetry(false).modelCall("lead", "Lead", model, request, () -> {
            throw new InfrastructureFault("model", "down", null);
        })).isInstanceOf(InfrastructureFault.class);

        SpanData chat = exported.getFinishedSpanItems().getFirst();
        assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("InfrastructureFault");
        assertThat(meters.get("agent.executor.model.call.duration").tag("outcome", "unavailable").timer().count()).isEqualTo(1);
    }

    @Test
    void aToolExecutionIsTheParentOfWhatItRuns() {
        EngineTelemetry telemetry = telemetry(false);
        telemetry.toolCall("researcher", "word_count", "t1", "{}",
                () -> telemetry.step("inner", 1, () -> "3"));

        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData tool = spans.stream().filter(s -> s.getName().equals("execute_tool word_count")).findFirst().orElseThrow();
        SpanData inner = spans.stream().filter(s -> s.getName().equals("step inner")).findFirst().orElseThrow();
        assertThat(inner.getParentSpanId()).isEqualTo(tool.getSpanId());
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id"))).isEqualTo("t1");
    }

    @Test
    void withoutAnEndpointTheServiceHasNoSdk() {
        Telemetry off = Telemetry.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "svc", "OTEL_TRACES_SAMPLER", "always_on"), "svc");
        assertThat(off.enabled()).isFalse();
        assertThat(off.tracer().spanBuilder("x").startSpan().isRecording()).isFalse();

        try (Telemetry on = Telemetry.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"), "svc")) {
            assertThat(on.enabled()).isTrue();
            assertThat(on.tracer().spanBuilder("x").startSpan().isRecording()).isTrue();
        }
    }
}
