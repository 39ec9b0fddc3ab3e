package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.bizmatters.agentexecutor.failure.Causes;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One streamed model call, retried with exponential backoff on 429, 5xx, timeouts and broken
 * connections: langchain4j's streaming models do not retry. A call that already streamed tokens to
 * the watchers is never retried, because they would see the answer twice.
 *
 * <p>A provider that stays unavailable is an {@link InfrastructureFault}: the job is redelivered
 * later and resumes at this very model call. A provider that rejects the request (bad key, unknown
 * model, invalid request) is a {@link JobFailure}: trying again cannot help.
 */
public final class StreamingModelCall {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingModelCall.class);
    static final String DEPENDENCY = "model";

    private final int maxRetries;
    private final Duration firstBackoff;

    public StreamingModelCall(ModelSettings settings) {
        this.maxRetries = settings.maxRetries();
        this.firstBackoff = settings.firstBackoff();
    }

    /** Receives what the model streams, as it arrives. */
    public interface Listener {
        void token(String text);

        void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk);
    }

    public ChatResponse call(AgentModel model, ChatRequest request, Listener listener) {
        for (int attempt = 0; ; attempt++) {
            AtomicBoolean streamed = new AtomicBoolean();
            try {
                return attempt(model, request, listener, streamed);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                boolean transientFault = isTransient(cause);
                if (transientFault && !streamed.get() && attempt < maxRetries) {
                    Duration backoff = firstBackoff.multipliedBy(1L << attempt);
                    LOG.warn("{} model '{}' failed ({}); retry {} of {} in {} ms", model.provider(), model.modelName(),
                            Causes.describe(cause), attempt + 1, maxRetries, backoff.toMillis());
                    sleep(backoff);
                    continue;
                }
                String what = model.provider() + " model '" + model.modelName() + "'";
                if (transientFault) {
                    throw new InfrastructureFault(DEPENDENCY, what + " is unavailable after " + (attempt + 1)
                            + " attempt(s): " + Causes.message(cause), cause);
                }
                throw new JobFailure(what + " rejected the call: " + Causes.message(cause), cause);
            }
        }
    }

    private static ChatResponse attempt(AgentModel model, ChatRequest request, Listener listener,
                                        AtomicBoolean streamed) throws ExecutionException {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        try {
            model.chatModel().chat(request, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String text) {
                    streamed.set(true);
                    listener.token(text);
                }

                @Override
                public void onPartialToolCall(PartialToolCall call) {
                    streamed.set(true);
                    listener.toolCallChunk(call.index(), call.id(), call.name(), call.partialArguments());
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        try {
            return done.get();
        } catch (InterruptedException e) {
            throw interrupted("interrupted while waiting for the model", e);
        }
    }

    private static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RateLimitException || t instanceof InternalServerException
                    || t instanceof TimeoutException || t instanceof IOException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (t instanceof HttpException http && (http.statusCode() == 429 || http.statusCode() >= 500)) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            throw interrupted("interrupted while backing off from the model", e);
        }
    }

    /**
     * The fault is how the interruption travels up: the interrupt status stays cleared, since the
     * job's way out still needs the database (releasing its lease so another pod resumes it at
     * once), and a virtual thread's socket I/O fails, closing the connection, while it is set.
     */
    private static InfrastructureFault interrupted(String what, InterruptedException e) {
        return new InfrastructureFault(DEPENDENCY, what, e);
    }
}
