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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat server for tests: {@code POST /v1/chat/completions} answers with real
 * SSE streaming (text deltas, tool-call deltas with arguments in pieces, usage in the last chunk,
 * {@code data: [DONE]}), from a queue of replies each test scripts. It records every request body
 * and counts calls, so a test can assert exactly which model calls were made. A test can also
 * {@link #hold} a call, to crash or disturb the service while a model call is in flight. Point the
 * real langchain4j client at {@link #baseUrl()} (OPENAI_BASE_URL).
 */
public final class OpenAiTestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<Integer, HeldCall> holds = new ConcurrentHashMap<>();

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

    /**
     * A model call the server keeps waiting, as a slow model would: counted and recorded when it
     * arrives, answered from the script only once {@link #release() released}. A call still held when
     * the server closes is cut off without an answer and takes no reply from the script.
     */
    public static final class HeldCall {
        private final int callNumber;
        private final boolean afterFirstChunk;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch decided = new CountDownLatch(1);
        private volatile boolean answer;

        private HeldCall(int callNumber, boolean afterFirstChunk) {
            this.callNumber = callNumber;
            this.afterFirstChunk = afterFirstChunk;
        }

        /** Waits until the service has made this call (and, mid-stream, been sent its first chunk). */
        public HeldCall awaitArrival() throws InterruptedException {
            if (!arrived.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("model call " + callNumber + " did not arrive");
            }
            return this;
        }

        public boolean hasArrived() {
            return arrived.getCount() == 0;
        }

        /** Lets the call go on to its scripted reply. */
        public void release() {
            answer = true;
            decided.countDown();
        }

        private void cutOff() {
            decided.countDown();
        }

        /** @return whether to answer: false when the call was cut off */
        private boolean awaitDecision() throws InterruptedException {
            arrived.countDown();
            decided.await();
            return answer;
        }
    }

    /** Holds the {@code callNumber}-th call (counting from 1) until the test releases it. */
    public HeldCall hold(int callNumber) {
        HeldCall held = new HeldCall(callNumber, false);
        holds.put(callNumber, held);
        return held;
    }

    /**
     * Holds the {@code callNumber}-th call mid-stream, as a slow model generating its answer: it
     * streams the first chunk of its reply (a text's first word), then waits to be released.
     */
    public HeldCall holdAfterFirstChunk(int callNumber) {
        HeldCall held = new HeldCall(callNumber, true);
        holds.put(callNumber, held);
        return held;
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
            int callNumber = calls.incrementAndGet();
            requests.add(JSON.readTree(exchange.getRequestBody()));
            HeldCall held = holds.get(callNumber);
            if (held != null && !held.afterFirstChunk && !holdUntilDecided(held)) {
                return; // cut off: closing the exchange unanswered drops the connection
            }
            Reply reply = script.poll();
            if (reply == null) {
                reply = new Failure(500, "the test script has no reply left for call " + callNumber);
            }
            switch (reply) {
                case Failure failure -> fail(exchange, failure);
                case Text text -> stream(exchange, held, textChunks(text.text()), "stop", text.promptTokens(),
                        text.completionTokens());
                case ToolCalls toolCalls -> stream(exchange, held, toolCallChunks(toolCalls.calls()), "tool_calls",
                        toolCalls.promptTokens(), toolCalls.completionTokens());
            }
        }
    }

    private static boolean holdUntilDecided(HeldCall held) throws IOException {
        try {
            return held.awaitDecision();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while holding model call " + held.callNumber, e);
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

    private static void stream(HttpExchange exchange, HeldCall held, List<ObjectNode> deltas, String finishReason,
                               int promptTokens, int completionTokens) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        ObjectNode opening = JSON.createObjectNode();
        opening.put("role", "assistant");
        send(body, chunk(opening, null));
        for (int i = 0; i < deltas.size(); i++) {
            send(body, chunk(deltas.get(i), null));
            if (i == 0 && held != null && held.afterFirstChunk && !holdUntilDecided(held)) {
                return; // cut off mid-stream: the client sees the connection drop
            }
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
        holds.values().forEach(HeldCall::cutOff);
        server.stop(0);
    }
}
