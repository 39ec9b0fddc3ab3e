package io.bizmatters.agentexecutor.agent.models;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stands between one model stream and langchain4j's listener, which swallows what it cannot
 * parse and waits for ever on a silent stream. It tells the listener a {@link ModelProtocolError}
 * instead, and closes the stream, when an event is not JSON, when the stream ends without any
 * event, when no event arrives for the idle timeout, or when the whole stream outlasts the total
 * timeout (AGENT_MODEL_IDLE_TIMEOUT_SECONDS, AGENT_MODEL_TOTAL_TIMEOUT_SECONDS).
 */
final class GuardedModelStream implements ServerSentEventListener {
    private static final JsonFactory JSON = new JsonFactory();
    /** OpenAI's end-of-stream sentinel, the one event that is not JSON. */
    private static final String DONE = "[DONE]";

    private final ServerSentEventListener delegate;
    private final InputStream body;
    private final ScheduledExecutorService timers;
    private final long idleNanos;
    private final AtomicReference<ModelProtocolError> failure = new AtomicReference<>();
    private final ScheduledFuture<?> totalDeadline;
    private volatile long lastEvent = System.nanoTime();
    private volatile ScheduledFuture<?> idleCheck;
    private volatile boolean anyEvent;

    GuardedModelStream(ServerSentEventListener delegate, InputStream body, ScheduledExecutorService timers,
                       Duration idle, Duration total) {
        this.delegate = delegate;
        this.body = body;
        this.timers = timers;
        this.idleNanos = idle.toNanos();
        this.totalDeadline = timers.schedule(() -> abort(new ModelProtocolError(
                "did not finish its answer within " + total.toSeconds() + " s (AGENT_MODEL_TOTAL_TIMEOUT_SECONDS)")),
                total.toNanos(), TimeUnit.NANOSECONDS);
        this.idleCheck = timers.schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onOpen(SuccessfulHttpResponse response) {
        delegate.onOpen(response);
    }

    @Override
    public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
        if (failure.get() != null) {
            context.parsingHandle().cancel();
            return;
        }
        lastEvent = System.nanoTime();
        anyEvent = true;
        String data = event.data();
        if (data != null && !data.isBlank() && !DONE.equals(data.strip()) && !isJson(data)) {
            abort(new ModelProtocolError("sent a stream event that is not JSON"));
            context.parsingHandle().cancel();
            return;
        }
        delegate.onEvent(event, context);
    }

    @Override
    public void onEvent(ServerSentEvent event) {
        delegate.onEvent(event);
    }

    @Override
    public void onError(Throwable error) {
        stopTimers();
        ModelProtocolError reason = failure.get();
        delegate.onError(reason != null ? reason : error);
    }

    @Override
    public void onClose() {
        stopTimers();
        ModelProtocolError reason = failure.get();
        if (reason != null) {
            delegate.onError(reason);
        } else if (!anyEvent) {
            delegate.onError(new ModelProtocolError("ended its stream without sending any event"));
        } else {
            delegate.onClose();
        }
    }

    private void checkIdle() {
        long silent = System.nanoTime() - lastEvent;
        if (silent >= idleNanos) {
            abort(new ModelProtocolError("sent nothing for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos)
                    + " s in the middle of its answer (AGENT_MODEL_IDLE_TIMEOUT_SECONDS)"));
        } else if (failure.get() == null) {
            idleCheck = timers.schedule(this::checkIdle, idleNanos - silent, TimeUnit.NANOSECONDS);
        }
    }

    /** The first reason wins; closing the body ends the reader's blocked read. */
    private void abort(ModelProtocolError reason) {
        if (failure.compareAndSet(null, reason)) {
            stopTimers();
            try {
                body.close();
            } catch (IOException ignored) {
                // the reader learns of the end either way
            }
        }
    }

    private void stopTimers() {
        totalDeadline.cancel(false);
        idleCheck.cancel(false);
    }

    /** Reads the event's tokens through without building a tree: langchain4j parses it again anyway. */
    private static boolean isJson(String data) {
        try (JsonParser tokens = JSON.createParser(data)) {
            tokens.nextToken();
            tokens.skipChildren();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
