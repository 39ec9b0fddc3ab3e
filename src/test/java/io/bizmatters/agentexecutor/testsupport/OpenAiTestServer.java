package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI-compatible chat server for tests: {@code POST /v1/chat/completions} answers with real
 * SSE streaming (text deltas, tool-call deltas with arguments in pieces, usage in the last chunk,
 * {@code data: [DONE]}). Point the real langchain4j client at {@link #baseUrl()} (OPENAI_BASE_URL).
 */
public final class OpenAiTestServer extends ScriptedModelServer<OpenAiTestServer> {

    public OpenAiTestServer() {
        super("/v1/chat/completions");
    }

    @Override
    public String baseUrl() {
        return origin() + "/v1";
    }

    @Override
    protected Object errorBody(Failure failure) {
        return Map.of("error", Map.of("message", failure.message(), "type", "test_error"));
    }

    @Override
    protected String firstEvent() throws IOException {
        ObjectNode opening = JSON.createObjectNode();
        opening.put("role", "assistant");
        return "data: " + json(chunk(opening, null)) + "\n\n";
    }

    @Override
    protected String streamContentType() {
        return "text/event-stream";
    }

    @Override
    protected void streamText(Text text, Stream stream) throws IOException {
        open(stream);
        for (String piece : words(text.text())) {
            ObjectNode delta = JSON.createObjectNode();
            delta.put("content", piece);
            sendContent(stream, chunk(delta, null));
        }
        finish(stream, "stop", text.promptTokens(), text.completionTokens());
    }

    @Override
    protected void streamToolCalls(ToolCalls toolCalls, Stream stream) throws IOException {
        open(stream);
        List<Call> calls = toolCalls.calls();
        for (int i = 0; i < calls.size(); i++) {
            streamToolCall(stream, i, calls.get(i));
        }
        finish(stream, "tool_calls", toolCalls.promptTokens(), toolCalls.completionTokens());
    }

    private static void open(Stream stream) throws IOException {
        ObjectNode opening = JSON.createObjectNode();
        opening.put("role", "assistant");
        send(stream, chunk(opening, null));
    }

    /** The call's id and name first, then its arguments in two pieces, as OpenAI streams them. */
    private static void streamToolCall(Stream stream, int index, Call call) throws IOException {
        ObjectNode opening = toolCallDelta(index);
        ObjectNode first = (ObjectNode) ((ArrayNode) opening.get("tool_calls")).get(0);
        first.put("id", call.id());
        first.put("type", "function");
        ((ObjectNode) first.get("function")).put("name", call.name()).put("arguments", "");
        sendContent(stream, chunk(opening, null));
        for (String piece : argumentPieces(call)) {
            ObjectNode delta = toolCallDelta(index);
            ((ObjectNode) delta.get("tool_calls").get(0).get("function")).put("arguments", piece);
            sendContent(stream, chunk(delta, null));
        }
    }

    private static void finish(Stream stream, String finishReason, int promptTokens, int completionTokens)
            throws IOException {
        send(stream, chunk(JSON.createObjectNode(), finishReason));
        ObjectNode usage = chunkFrame();
        usage.putArray("choices");
        usage.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        send(stream, usage);
        stream.send("data: [DONE]\n\n");
    }

    private static ObjectNode toolCallDelta(int index) {
        ObjectNode delta = JSON.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function");
        return delta;
    }

    private static ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = chunkFrame();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode chunkFrame() {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "chatcmpl-test");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 0);
        chunk.put("model", "test-model");
        return chunk;
    }

    private static void send(Stream stream, ObjectNode chunk) throws IOException {
        stream.send("data: " + json(chunk) + "\n\n");
    }

    private static void sendContent(Stream stream, ObjectNode chunk) throws IOException {
        stream.sendContent("data: " + json(chunk) + "\n\n");
    }
}
