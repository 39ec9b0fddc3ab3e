package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat server for tests: {@code POST /v1/chat/completions} answers with real
 * SSE streaming (text deltas, tool-call deltas with arguments in pieces, usage in the last chunk,
 * {@code data: [DONE]}), from a queue of replies each test scripts. It records every request body
 * and counts calls, so a test can assert exactly which model calls were made. Point the real
 * langchain4j client at {@link #baseUrl()} (OPENAI_BASE_URL).
 */
public final class OpenAiTestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    /** One scripted answer: streamed text, streamed tool calls, or an HTTP error status. */
    public sealed interface Reply permits Text, ToolCalls, Failure {
    }

    public record Text(String text, int promptTokens, int completionTokens) implements Reply {
    }

    public record ToolCalls(List<Call> calls, int promptTokens, int completionTokens) implements Reply {
    }

    public record Failure(int status, String message) implements Reply {
    }

    public record Call(String id, String name, String argumentsJson) {
    }

    public static Reply text(String text) {
        return new Text(text, 10, 5);
    }

    public static Reply toolCalls(Call... calls) {
        return new ToolCalls(List.of(calls), 10, 5);
    }

    public static Call call(String id, String name, Map<String, ?> arguments) {
        try {
            return new Call(id, name, JSON.writeValueAsString(arguments));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Reply failure(int status) {
        return new Failure(status, "scripted failure " + status);
    }

    public OpenAiTestServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the test model server", e);
        }
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public OpenAiTestServer enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Chat-completion calls received so far, failed ones included. */
    public int calls() {
        return calls.get();
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public int unusedReplies() {
        return script.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            requests.add(JSON.readTree(exchange.getRequestBody()));
            Reply reply = script.poll();
            if (reply == null) {
                reply = new Failure(500, "the test script has no reply left for call " + calls.get());
            }
            switch (reply) {
                case Failure failure -> fail(exchange, failure);
                case Text text -> stream(exchange, textChunks(text.text()), "stop", text.promptTokens(), text.completionTokens());
                case ToolCalls toolCalls -> stream(exchange, toolCallChunks(toolCalls.calls()), "tool_calls",
                        toolCalls.promptTokens(), toolCalls.completionTokens());
            }
        }
    }

    private static void fail(HttpExchange exchange, Failure failure) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("error", Map.of("message", failure.message(), "type", "test_error")));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(failure.status(), body.length);
        exchange.getResponseBody().write(body);
    }

    private static List<ObjectNode> textChunks(String text) {
        List<ObjectNode> deltas = new ArrayList<>();
        for (String piece : text.split("(?<= )")) {
            ObjectNode delta = JSON.createObjectNode();
            delta.put("content", piece);
            deltas.add(delta);
        }
        return deltas;
    }

    private static List<ObjectNode> toolCallChunks(List<Call> calls) {
        List<ObjectNode> deltas = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            ObjectNode opening = toolCallDelta(i);
            ArrayNode toolCalls = (ArrayNode) opening.get("tool_calls");
            ObjectNode first = (ObjectNode) toolCalls.get(0);
            first.put("id", call.id());
            first.put("type", "function");
            ((ObjectNode) first.get("function")).put("name", call.name()).put("arguments", "");
            deltas.add(opening);
            String arguments = call.argumentsJson();
            int half = arguments.length() / 2;
            for (String piece : List.of(arguments.substring(0, half), arguments.substring(half))) {
                ObjectNode delta = toolCallDelta(i);
                ((ObjectNode) delta.get("tool_calls").get(0).get("function")).put("arguments", piece);
                deltas.add(delta);
            }
        }
        return deltas;
    }

    private static ObjectNode toolCallDelta(int index) {
        ObjectNode delta = JSON.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function");
        return delta;
    }

    private static void stream(HttpExchange exchange, List<ObjectNode> deltas, String finishReason,
                               int promptTokens, int completionTokens) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        ObjectNode opening = JSON.createObjectNode();
        opening.put("role", "assistant");
        send(body, chunk(opening, null));
        for (ObjectNode delta : deltas) {
            send(body, chunk(delta, null));
        }
        send(body, chunk(JSON.createObjectNode(), finishReason));
        ObjectNode usage = chunkFrame();
        usage.putArray("choices");
        usage.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        send(body, usage);
        body.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        body.flush();
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

    private static void send(OutputStream body, ObjectNode chunk) throws IOException {
        body.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
