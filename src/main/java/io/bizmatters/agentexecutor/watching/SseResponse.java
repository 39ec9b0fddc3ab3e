package io.bizmatters.agentexecutor.watching;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * A watcher's events as Server-Sent Events on a Vert.x response. Every write is handed to the
 * request's event-loop context, in order, and never waits: a client whose socket does not keep up
 * is disconnected, and its EventSource resumes from the stream with Last-Event-ID.
 */
final class SseResponse implements Watcher.Sink {
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private final HttpServerResponse response;
    private final Context context;
    private long keepAlive = -1;

    SseResponse(HttpServerResponse response, Context context) {
        this.response = response;
        this.context = context;
    }

    /** 200 and the stream's headers; a comment every 15 s keeps proxies from closing a quiet stream. */
    void open() {
        context.runOnContext(v -> {
            if (gone()) {
                return;
            }
            response.setStatusCode(200)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no")
                    .setChunked(true);
            response.write("retry: 2000\n\n");
            keepAlive = context.owner().setPeriodic(KEEP_ALIVE_MILLIS, id -> write(": keep-alive\n\n"));
        });
    }

    /** An answer instead of a stream (404, 410, 503): the client's EventSource gives up rather than retry. */
    void refuse(int status, String json) {
        context.runOnContext(v -> {
            if (!gone()) {
                response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
            }
        });
    }

    @Override
    public void event(StoredEvent event) {
        write("id: " + event.seq() + "\nevent: " + event.type() + "\ndata: " + event.json() + "\n\n");
    }

    @Override
    public void snapshot(long id, String json) {
        write("id: " + id + "\nevent: snapshot\ndata: " + json + "\n\n");
    }

    @Override
    public void close() {
        context.runOnContext(v -> {
            if (keepAlive >= 0) {
                context.owner().cancelTimer(keepAlive);
            }
            if (!gone()) {
                response.end();
            }
        });
    }

    private void write(String chunk) {
        context.runOnContext(v -> {
            if (gone()) {
                return;
            }
            if (response.writeQueueFull()) {
                response.close();
                return;
            }
            response.write(chunk);
        });
    }

    private boolean gone() {
        return response.ended() || response.closed();
    }
}
