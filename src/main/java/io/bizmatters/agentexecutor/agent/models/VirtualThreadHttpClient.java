package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

import static java.net.http.HttpRequest.BodyPublishers.noBody;
import static java.net.http.HttpRequest.BodyPublishers.ofString;

/**
 * A langchain4j HTTP client that reads each server-sent-event stream with a blocking
 * {@code send} on a virtual thread of its own. langchain4j's JDK client reads it in a
 * {@code sendAsync} continuation instead, on a common-pool thread blocked for the whole stream:
 * past the pool's parallelism plus its 256 spare threads, further streams wait for one to end.
 * Kept because giving that client a virtual-thread executor does not help: the JDK runs a
 * {@code sendAsync} continuation on the common pool whatever the executor (model-streams.sh at
 * parallelism 8: that way 264 streams at once of 600 and of 2,000; this client, all 400 of 400).
 */
final class VirtualThreadHttpClient implements HttpClient {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualThreadHttpClient.class);
    private static final ThreadFactory STREAM_READERS = Thread.ofVirtual().name("model-stream-", 0).factory();

    private final java.net.http.HttpClient client;
    private final Duration readTimeout;
    private final StreamDeadlines deadlines;

    /**
     * @param readTimeout how long to wait for the response headers; null waits as long as the server takes
     * @param deadlines   how long a stream may stay silent, and last, once its headers arrived
     */
    VirtualThreadHttpClient(java.net.http.HttpClient client, Duration readTimeout, StreamDeadlines deadlines) {
        this.client = client;
        this.readTimeout = readTimeout;
        this.deadlines = deadlines;
    }

    /** The stream deadlines of {@link GuardedModelStream}, and the timer thread that enforces them. */
    record StreamDeadlines(Duration idle, Duration total, ScheduledExecutorService timers) {
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(toJdkRequest(request), BodyHandlers.ofString());
            if (!isSuccessful(response)) {
                throw new HttpException(response.statusCode(), response.body());
            }
            return successful(response, response.body());
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.url(), e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        java.net.http.HttpRequest jdkRequest = toJdkRequest(request);
        STREAM_READERS.newThread(() -> stream(jdkRequest, parser, listener)).start();
    }

    private void stream(java.net.http.HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        try {
            HttpResponse<InputStream> response = client.send(request, BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (!isSuccessful(response)) {
                    HttpException rejection = new HttpException(response.statusCode(), errorBody(body));
                    tell(() -> listener.onError(rejection));
                    return;
                }
                String contentType = response.headers().firstValue("Content-Type").orElse("");
                if (!isStream(contentType)) {
                    ModelProtocolError notAStream = new ModelProtocolError("answered " + response.statusCode()
                            + " with Content-Type '" + mediaType(contentType) + "' instead of an event stream");
                    tell(() -> listener.onError(notAStream));
                    return;
                }
                GuardedModelStream guarded = new GuardedModelStream(listener, body, deadlines.timers(),
                        deadlines.idle(), deadlines.total());
                tell(() -> guarded.onOpen(successful(response, null)));
                parser.parse(body, guarded);
                tell(guarded::onClose);
            }
        } catch (HttpTimeoutException e) {
            tell(() -> listener.onError(new TimeoutException(e)));
        } catch (IOException e) {
            tell(() -> listener.onError(e));
        } catch (InterruptedException e) {
            tell(() -> listener.onError(e));
        }
    }

    private java.net.http.HttpRequest toJdkRequest(HttpRequest request) {
        java.net.http.HttpRequest.Builder jdkRequest = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> jdkRequest.header(name, value));
            }
        });
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            // Only langchain4j's audio and image models send forms; no chat model does.
            throw new IllegalArgumentException("a multipart form request to " + request.url() + " is not supported");
        }
        jdkRequest.method(request.method().name(), request.body() == null ? noBody() : ofString(request.body()));
        if (readTimeout != null) {
            jdkRequest.timeout(readTimeout);
        }
        return jdkRequest.build();
    }

    /** SSE (OpenAI, Anthropic), NDJSON (Ollama), or JSON that some gateways label a stream with. */
    private static boolean isStream(String contentType) {
        String type = mediaType(contentType);
        return type.isEmpty() || type.equals("text/event-stream") || type.equals("application/x-ndjson")
                || type.equals("application/json") || type.equals("application/jsonl");
    }

    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(java.util.Locale.ROOT);
        return type.length() > 64 ? type.substring(0, 64) : type.replaceAll("[^a-z0-9/+.-]", "?");
    }

    private static boolean isSuccessful(HttpResponse<?> response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }

    private static SuccessfulHttpResponse successful(HttpResponse<?> response, String body) {
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers().map())
                .body(body)
                .build();
    }

    private static String errorBody(InputStream body) {
        try {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(the error body could not be read: " + e.getMessage() + ")";
        }
    }

    /** A listener that throws must not end the stream's reader before it tells the rest. */
    private static void tell(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            LOG.warn("A model stream listener failed; the stream goes on", e);
        }
    }
}
