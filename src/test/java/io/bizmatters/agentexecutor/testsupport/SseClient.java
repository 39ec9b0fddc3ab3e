package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client on the JDK's HttpClient, as a program would follow
 * {@code GET /jobs/{jobId}/events}: it keeps every event ({@code id}, {@code event}, {@code data})
 * until the server ends the stream.
 */
public final class SseClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param receivedNanos {@link System#nanoTime()} when the event's last line arrived */
    public record Event(String id, String type, String data, long receivedNanos) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (JsonProcessingException e) {
                throw new AssertionError("SSE data is not JSON: " + data, e);
            }
        }

        public long seq() {
            return Long.parseLong(id);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();

    private SseClient() {
    }

    /** Connects at once and reads on a virtual thread; {@code headers} are name, value pairs. */
    public static SseClient connect(HttpClient http, URI uri, String... headers) {
        SseClient client = new SseClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).whenComplete((response, failure) -> {
            if (failure != null) {
                client.status.completeExceptionally(failure);
                client.ended.completeExceptionally(failure);
                return;
            }
            client.status.complete(response.statusCode());
            Thread.ofVirtual().start(() -> client.read(response));
        });
        return client;
    }

    private void read(HttpResponse<Stream<String>> response) {
        StringBuilder body = new StringBuilder();
        String[] field = new String[3];
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                body.append(line).append('\n');
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(field[0], field[1] == null ? "message" : field[1], String.join("\n", data),
                                System.nanoTime()));
                    }
                    field[1] = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id: ")) {
                    field[0] = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    field[1] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            });
            ended.complete(body.toString());
        } catch (RuntimeException e) {
            ended.completeExceptionally(e);
        }
    }

    public int status() throws Exception {
        return status.get(60, TimeUnit.SECONDS);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Waits for the server to end the stream; returns every event it sent. */
    public List<Event> awaitEnd(Duration patience) throws Exception {
        ended.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        return events();
    }

    /** The whole body, for answers that are not a stream (404, 400). */
    public String body(Duration patience) throws Exception {
        return ended.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean hasEnded() {
        return ended.isDone();
    }
}
