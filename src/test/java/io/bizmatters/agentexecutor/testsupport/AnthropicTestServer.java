package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An Anthropic Messages API server for tests: {@code POST /v1/messages} with {@code stream: true}
 * answers with the API's named SSE events ({@code message_start} with the input tokens, one
 * {@code content_block_start}/{@code _delta}/{@code _stop} run per text or {@code tool_use} block,
 * {@code message_delta} with the stop reason and output tokens, {@code message_stop}). Point the
 * real langchain4j client at {@link #baseUrl()} (ANTHROPIC_BASE_URL).
 */
public final class AnthropicTestServer extends ScriptedModelServer<AnthropicTestServer> {

    public AnthropicTestServer() {
        super("/v1/messages");
    }

    @Override
    public String baseUrl() {
        return origin() + "/v1";
    }

    @Override
    protected Object errorBody(Failure failure) {
        return Map.of("type", "error", "error", Map.of("type", "test_error", "message", failure.message()));
    }

    @Override
    protected String firstEvent() throws IOException {
        return frame("ping", JSON.createObjectNode().put("type", "ping"));
    }

    @Override
    protected String streamContentType() {
        return "text/event-stream";
    }

    @Override
    protected void streamText(Text text, Stream stream) throws IOException {
        start(stream, text.promptTokens());
        ObjectNode block = JSON.createObjectNode().put("type", "text").put("text", "");
        send(stream, "content_block_start", event("content_block_start", 0).set("content_block", block));
        for (String piece : words(text.text())) {
            ObjectNode delta = JSON.createObjectNode().put("type", "text_delta").put("text", piece);
            sendContent(stream, "content_block_delta", event("content_block_delta", 0).set("delta", delta));
        }
        send(stream, "content_block_stop", event("content_block_stop", 0));
        finish(stream, "end_turn", text.completionTokens());
    }

    @Override
    protected void streamToolCalls(ToolCalls toolCalls, Stream stream) throws IOException {
        start(stream, toolCalls.promptTokens());
        List<Call> calls = toolCalls.calls();
        for (int i = 0; i < calls.size(); i++) {
            streamToolUse(stream, i, calls.get(i));
        }
        finish(stream, "tool_use", toolCalls.completionTokens());
    }

    /** A tool_use block: id and name first, then the input JSON in two {@code input_json_delta} pieces. */
    private static void streamToolUse(Stream stream, int index, Call call) throws IOException {
        ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
        block.putObject("input");
        sendContent(stream, "content_block_start", event("content_block_start", index).set("content_block", block));
        for (String piece : argumentPieces(call)) {
            ObjectNode delta = JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", piece);
            sendContent(stream, "content_block_delta", event("content_block_delta", index).set("delta", delta));
        }
        send(stream, "content_block_stop", event("content_block_stop", index));
    }

    private static void start(Stream stream, int inputTokens) throws IOException {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", "msg_test").put("type", "message")
                .put("role", "assistant").put("model", "claude-test");
        message.putArray("content");
        message.putNull("stop_reason");
        message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 1);
        send(stream, "message_start", start);
    }

    private static void finish(Stream stream, String stopReason, int outputTokens) throws IOException {
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", outputTokens);
        send(stream, "message_delta", delta);
        send(stream, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
    }

    private static ObjectNode event(String type, int index) {
        return JSON.createObjectNode().put("type", type).put("index", index);
    }

    private static void send(Stream stream, String event, ObjectNode data) throws IOException {
        stream.send(frame(event, data));
    }

    private static void sendContent(Stream stream, String event, ObjectNode data) throws IOException {
        stream.sendContent(frame(event, data));
    }

    private static String frame(String event, ObjectNode data) throws IOException {
        return "event: " + event + "\ndata: " + json(data) + "\n\n";
    }
}
