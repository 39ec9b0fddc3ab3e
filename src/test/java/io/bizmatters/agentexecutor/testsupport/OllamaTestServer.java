package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An Ollama server for tests: {@code POST /api/chat} answers with Ollama's newline-delimited JSON
 * stream: one chunk per text piece in {@code message.content}, all tool calls of an answer in one
 * chunk's {@code message.tool_calls} (whole argument objects, with an index and no id, as Ollama
 * sends them), and a last {@code done: true} chunk with {@code prompt_eval_count} and
 * {@code eval_count}. Point the real langchain4j client at {@link #baseUrl()} (OLLAMA_BASE_URL).
 */
public final class OllamaTestServer extends ScriptedModelServer<OllamaTestServer> {

    public OllamaTestServer() {
        super("/api/chat");
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    protected Object errorBody(Failure failure) {
        return Map.of("error", failure.message());
    }

    @Override
    protected String firstEvent() throws IOException {
        ObjectNode chunk = chunk(false);
        ((ObjectNode) chunk.get("message")).put("content", "Hi");
        return line(chunk);
    }

    @Override
    protected String streamContentType() {
        return "application/x-ndjson";
    }

    @Override
    protected void streamText(Text text, Stream stream) throws IOException {
        for (String piece : words(text.text())) {
            ObjectNode chunk = chunk(false);
            ((ObjectNode) chunk.get("message")).put("content", piece);
            stream.sendContent(line(chunk));
        }
        done(stream, "stop", text.promptTokens(), text.completionTokens());
    }

    @Override
    protected void streamToolCalls(ToolCalls toolCalls, Stream stream) throws IOException {
        ObjectNode chunk = chunk(false);
        ArrayNode calls = ((ObjectNode) chunk.get("message")).putArray("tool_calls");
        List<Call> scripted = toolCalls.calls();
        for (int i = 0; i < scripted.size(); i++) {
            ObjectNode function = calls.addObject().putObject("function");
            function.put("index", i).put("name", scripted.get(i).name());
            function.set("arguments", JSON.readTree(scripted.get(i).argumentsJson()));
        }
        stream.sendContent(line(chunk));
        done(stream, "stop", toolCalls.promptTokens(), toolCalls.completionTokens());
    }

    private static void done(Stream stream, String reason, int promptTokens, int completionTokens) throws IOException {
        ObjectNode last = chunk(true);
        last.put("done_reason", reason).put("prompt_eval_count", promptTokens).put("eval_count", completionTokens);
        stream.send(line(last));
    }

    private static ObjectNode chunk(boolean done) {
        ObjectNode chunk = JSON.createObjectNode().put("model", "llama-test").put("created_at", "2026-01-01T00:00:00Z");
        chunk.putObject("message").put("role", "assistant").put("content", "");
        chunk.put("done", done);
        return chunk;
    }

    private static String line(ObjectNode chunk) throws IOException {
        return json(chunk) + "\n";
    }
}
