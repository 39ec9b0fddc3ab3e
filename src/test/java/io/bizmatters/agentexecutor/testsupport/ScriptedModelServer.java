package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A model provider for tests, answering its chat endpoint from a queue of replies each test
 * scripts, streamed in the provider's own wire format (one subclass per provider). It records every
 * request body and its headers and counts calls, so a test can assert exactly which model calls
 * were made and what they carried. A test can also {@link #hold} a call, to crash or disturb the
 * service while a model call is in flight. Point the real langchain4j client at {@link #baseUrl()}.
 *
 * @param <S> the provider's server, so scripting calls chain
 */
public abstract class ScriptedModelServer<S extends ScriptedModelServer<S>> implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<Headers> requestHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Timing> timings = new CopyOnWriteArrayList<>();
    private final Map<Integer, HeldCall> holds = new ConcurrentHashMap<>();
    private final List<HeldCall> silences = new CopyOnWriteArrayList<>();
    private volatile Function<ChatCall, Reply> answerer = call -> script.poll();

    /**
     * One scripted answer: streamed text, streamed tool calls, an HTTP error status, a 200 whose body
     * is not the provider's stream ({@link Garbage}), or one valid event followed by silence.
     */
    public sealed interface Reply permits Text, ToolCalls, Failure, Garbage, Silence {
    }

    /** A 200 with this Content-Type and body, written as is. */
    public record Garbage(String contentType, String body) implements Reply {
    }

    /** The provider's first event, then nothing until the client gives up (or the server closes). */
    public record Silence() implements Reply {
    }

    public record Text(String text, int promptTokens, int completionTokens) implements Reply {
    }

    public record ToolCalls(List<Call> calls, int promptTokens, int completionTokens) implements Reply {
    }

    public record Failure(int status, String message) implements Reply {
    }

    public record Call(String id, String name, String argumentsJson) {
    }

    /** When one call arrived and when its answer was complete ({@link System#nanoTime()}), for tests of overlap. */
    public record Timing(int callNumber, JsonNode body, long arrivedNanos, long answeredNanos) {
        public boolean overlaps(Timing other) {
            return arrivedNanos < other.answeredNanos && other.arrivedNanos < answeredNanos;
        }
    }

    /** One chat call as it arrived, for an {@link #answerWith answerer} to choose its reply from. */
    public record ChatCall(int callNumber, Headers headers, JsonNode body) {
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

    /** A 200 whose JSON body is not a stream at all, as a misrouted gateway answers. */
    public static Reply notAStream() {
        return new Garbage("application/json", "{\"unexpected\": true");
    }

    /** A 200 with an HTML page: a login portal or a proxy's error page in front of the provider. */
    public static Reply html() {
        return new Garbage("text/html; charset=utf-8", "<html><body><h1>502 Bad Gateway</h1></body></html>");
    }

    /** An event stream whose events are not JSON. */
    public static Reply nonJsonEvents() {
        return new Garbage("text/event-stream", "data: hello there\n\ndata: {broken\n\n");
    }

    /** Ollama's NDJSON stream broken after its first line. */
    public static Reply brokenNdjson() {
        return new Garbage("application/x-ndjson", "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
                + "\"done\":false}\n{\"model\": \"m\", \"message\n");
    }

    /** One valid event of the provider's stream, then silence. */
    public static Reply oneEventThenSilence() {
        return new Silence();
    }

    public static Reply failure(int status) {
        return new Failure(status, "scripted failure " + status);
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

        /** Waits for the test's decision; a cut-off call ends its exchange unanswered. */
        private void awaitDecision() throws IOException {
            arrived.countDown();
            try {
                decided.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while holding model call " + callNumber, e);
            }
            if (!answer) {
                throw new CutOff();
            }
        }
    }

    /** Ends a held exchange without an answer: the client sees the connection drop. */
    private static final class CutOff extends IOException {
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

    /** @param chatPath the provider's streaming chat endpoint, e.g. {@code /v1/chat/completions} */
    protected ScriptedModelServer(String chatPath) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the test model server", e);
        }
        server.createContext(chatPath, this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** What the provider's base-URL variable is set to for the client to reach this server. */
    public abstract String baseUrl();

    protected final String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @SuppressWarnings("unchecked")
    public S enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return (S) this;
    }

    /** Chat calls received so far, failed ones included. */
    public int calls() {
        return calls.get();
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** Every answered or failed call, in the order they ended. */
    public List<Timing> timings() {
        return List.copyOf(timings);
    }

    /** The headers of each call, in the order of {@link #requests()}. */
    public List<Headers> requestHeaders() {
        return List.copyOf(requestHeaders);
    }

    /**
     * Answers every call with {@code answerer} instead of the script, for a test whose calls arrive
     * in no fixed order (many concurrent jobs): it reads the request and may block, as a slow model
     * would. A null reply answers 500.
     */
    @SuppressWarnings("unchecked")
    public S answerWith(Function<ChatCall, Reply> answerer) {
        this.answerer = answerer;
        return (S) this;
    }

    public int unusedReplies() {
        return script.size();
    }

    /** The error body the provider sends with a failure status. */
    protected abstract Object errorBody(Failure failure);

    /** The streaming response's Content-Type. */
    protected abstract String streamContentType();

    /** Streams a text reply in the provider's format. */
    protected abstract void streamText(Text text, Stream stream) throws IOException;

    /** The first event of a stream in the provider's format, for {@link Silence}. */
    protected abstract String firstEvent() throws IOException;

    /** Streams a tool-call reply in the provider's format. */
    protected abstract void streamToolCalls(ToolCalls toolCalls, Stream stream) throws IOException;

    /**
     * The open response of one call. A provider writes its framing with {@link #send} and each piece
     * of generated content with {@link #sendContent}, so a call held after its first chunk stops there.
     */
    protected static final class Stream {
        private final OutputStream body;
        private final HeldCall held;
        private boolean contentSent;

        private Stream(OutputStream body, HeldCall held) {
            this.body = body;
            this.held = held;
        }

        public void send(String frame) throws IOException {
            body.write(frame.getBytes(StandardCharsets.UTF_8));
            body.flush();
        }

        public void sendContent(String frame) throws IOException {
            send(frame);
            if (!contentSent && held != null && held.afterFirstChunk) {
                held.awaitDecision();
            }
            contentSent = true;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        int callNumber = calls.incrementAndGet();
        JsonNode body = null;
        try (exchange) {
            requestHeaders.add(exchange.getRequestHeaders());
            body = JSON.readTree(exchange.getRequestBody());
            requests.add(body);
            HeldCall held = holds.get(callNumber);
            if (held != null && !held.afterFirstChunk) {
                held.awaitDecision();
            }
            Reply reply = answerer.apply(new ChatCall(callNumber, exchange.getRequestHeaders(), body));
            if (reply == null) {
                reply = new Failure(500, "the test script has no reply left for call " + callNumber);
            }
            switch (reply) {
                case Failure failure -> fail(exchange, failure);
                case Text text -> streamText(text, openStream(exchange, held));
                case ToolCalls toolCalls -> streamToolCalls(toolCalls, openStream(exchange, held));
                case Garbage garbage -> garbage(exchange, garbage);
                case Silence silence -> silence(openStream(exchange, held));
            }
        } catch (CutOff cutOff) {
            // closing the exchange unanswered drops the connection, as a crashed provider would
        } finally {
            timings.add(new Timing(callNumber, body, arrived, System.nanoTime()));
        }
    }

    private void fail(HttpExchange exchange, Failure failure) throws IOException {
        byte[] body = JSON.writeValueAsBytes(errorBody(failure));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(failure.status(), body.length);
        exchange.getResponseBody().write(body);
    }

    private static void garbage(HttpExchange exchange, Garbage garbage) throws IOException {
        byte[] body = garbage.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", garbage.contentType());
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Waits until the client closes (its read fails) or the server stops. */
    private void silence(Stream stream) throws IOException {
        stream.send(firstEvent());
        HeldCall silent = new HeldCall(-1, false);
        silences.add(silent);
        try {
            silent.decided.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new CutOff();
    }

    private Stream openStream(HttpExchange exchange, HeldCall held) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", streamContentType());
        exchange.sendResponseHeaders(200, 0);
        return new Stream(exchange.getResponseBody(), held);
    }

    /** Text split after each space, so a reply streams as several tokens. */
    protected static String[] words(String text) {
        return text.split("(?<= )");
    }

    /** A tool call's arguments in two pieces, for providers that stream them as they are generated. */
    protected static List<String> argumentPieces(Call call) {
        String arguments = call.argumentsJson();
        int half = arguments.length() / 2;
        return List.of(arguments.substring(0, half), arguments.substring(half));
    }

    protected static String json(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }

    @Override
    public void close() {
        holds.values().forEach(HeldCall::cutOff);
        silences.forEach(HeldCall::cutOff);
        server.stop(0);
    }
}
