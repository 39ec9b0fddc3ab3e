package io.bizmatters.agentexecutor.ingress.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections of clients that hold the server without using it (HTTP_REQUEST_TIMEOUT_SECONDS,
 * HTTP_IDLE_TIMEOUT_SECONDS): a request whose body has not fully arrived within the request
 * timeout is answered 408 and its connection closed; a kept-alive connection without a request in
 * flight is closed after the idle timeout. A long job is not cut: its body arrived, and the
 * connection is busy while it runs. platform-http creates its Vert.x server with default options
 * (no idle timeout) and no hook to change them, so this handler does it in front of every route.
 */
final class SlowClientTimeouts implements Handler<RoutingContext> {
    private final Vertx vertx;
    private final long requestMillis;
    private final long idleMillis;
    /** Connections between requests, with the timer that closes them. */
    private final Map<HttpConnection, Long> idle = new ConcurrentHashMap<>();
    /** Requests in flight per connection (HTTP/1.1 pipelining may overlap them). */
    private final Map<HttpConnection, Integer> busy = new ConcurrentHashMap<>();

    SlowClientTimeouts(Vertx vertx, Duration request, Duration idleTimeout) {
        this.vertx = vertx;
        this.requestMillis = request.toMillis();
        this.idleMillis = idleTimeout.toMillis();
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        HttpConnection connection = request.connection();
        started(connection);
        context.addEndHandler(done -> ended(connection));
        if (!request.isEnded()) {
            long timer = vertx.setTimer(requestMillis, fired -> {
                if (!request.isEnded()) {
                    if (!context.response().headWritten()) {
                        context.response().setStatusCode(408).putHeader("Content-Type", "application/json")
                                .putHeader("Connection", "close")
                                .end("{\"detail\":\"the request body did not arrive within the request timeout\",\"field\":\"body\"}");
                    }
                    connection.close();
                }
            });
            context.addEndHandler(done -> vertx.cancelTimer(timer));
        }
        context.next();
    }

    private void started(HttpConnection connection) {
        if (busy.merge(connection, 1, Integer::sum) == 1 && !idle.containsKey(connection)) {
            connection.closeHandler(closed -> forget(connection));
        }
        Long timer = idle.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void ended(HttpConnection connection) {
        if (busy.merge(connection, -1, Integer::sum) > 0) {
            return;
        }
        busy.remove(connection);
        idle.put(connection, vertx.setTimer(idleMillis, fired -> {
            if (idle.remove(connection) != null) {
                connection.close();
            }
        }));
    }

    private void forget(HttpConnection connection) {
        busy.remove(connection);
        Long timer = idle.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
