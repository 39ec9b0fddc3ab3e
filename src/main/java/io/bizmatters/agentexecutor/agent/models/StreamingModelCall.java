package io.bizmatters.agentexecutor.agent.models;

import com.fasterxml.jackson.core.JacksonException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.bizmatters.agentexecutor.failure.Causes;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One streamed model call, retried (resilience4j) with exponential backoff on 429, 5xx, timeouts and
 * broken connections: langchain4j's streaming models do not retry. A call that already streamed
 * tokens to the watchers is never retried, because they would see the answer twice.
 *
 * <p>A provider that stays unavailable is an {@link InfrastructureFault}: the job is redelivered
 * later and resumes at this very model call. A provider that rejects the request (bad key, unknown
 * model, invalid request) is a {@link JobFailure}: trying again cannot help. So is a provider that
 * answers 200 with something that is not its stream, or stalls ({@link ModelProtocolError}).
 */
public final class StreamingModelCall {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingModelCall.class);
    static final String DEPENDENCY = "model";

    /** Past the stream's own deadlines, for a model client that never reports back at all. */
    private static final Duration REPORT_GRACE = Duration.ofSeconds(10);

    private final int maxRetries;
    private final RetryConfig retryConfig;
    private final Duration callDeadline;

    public StreamingModelCall(ModelSettings settings) {
        this.maxRetries = settings.maxRetries();
        this.retryConfig = RetryConfig.custom()
                .maxAttempts(settings.maxRetries() + 1)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.firstBackoff(), 2.0))
                .retryOnException(error -> error instanceof FailedAttempt failed && failed.retriable())
                .build();
        this.callDeadline = settings.timeout().plus(settings.totalTimeout()).plus(REPORT_GRACE);
    }

    /** Receives what the model streams, as it arrives. */
    public interface Listener {
        void token(String text);

        void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk);
    }

    public ChatResponse call(AgentModel model, ChatRequest request, Listener listener) {
        String what = model.provider() + " model " + BadInput.quote(model.modelName());
        AtomicInteger attempts = new AtomicInteger();
        Retry retry = Retry.of(what, retryConfig);
        retry.getEventPublisher().onRetry(event -> LOG.warn("{} model '{}' failed ({}); retry {} of {} in {} ms",
                model.provider(), model.modelName(), Causes.describe(cause(event.getLastThrowable())),
                event.getNumberOfRetryAttempts(), maxRetries, event.getWaitInterval().toMillis()));
        try {
            return retry.executeSupplier(() -> {
                attempts.incrementAndGet();
                return attempt(model, request, listener);
            });
        } catch (FailedAttempt failed) {
            if (Thread.interrupted()) {
                throw interrupted("interrupted while backing off from the model", failed.getCause());
            }
            Throwable cause = failed.getCause();
            ModelProtocolError protocolError = protocolError(cause);
            if (protocolError != null) {
                throw new JobFailure(what + " " + protocolError.getMessage(), protocolError);
            }
            if (isTransient(cause)) {
                throw new InfrastructureFault(DEPENDENCY, what + " is unavailable after " + attempts.get()
                        + " attempt(s): " + Causes.message(cause), cause);
            }
            throw new JobFailure(what + " rejected the call: " + Causes.message(cause), cause);
        }
    }

    /** One attempt's failure, and whether the watchers already saw some of its answer. */
    private static final class FailedAttempt extends RuntimeException {
        private final boolean streamed;

        FailedAttempt(Throwable cause, boolean streamed) {
            super(cause.getMessage(), cause, false, false);
            this.streamed = streamed;
        }

        /** Nothing streamed yet: a retry cannot show the watchers any of the answer twice. */
        boolean retriable() {
            return !streamed && protocolError(getCause()) == null && isTransient(getCause());
        }
    }

    private static Throwable cause(Throwable error) {
        return error instanceof FailedAttempt failed ? failed.getCause() : error;
    }

    private ChatResponse attempt(AgentModel model, ChatRequest request, Listener listener) {
        AtomicBoolean streamed = new AtomicBoolean();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        // Set once the job stopped waiting (it was cancelled, timed out, or handed back): what the
        // provider still streams must not reach the job's watchers after its terminal event.
        AtomicBoolean abandoned = new AtomicBoolean();
        try {
            model.chatModel().chat(request, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                    if (abandoned.get()) {
                        context.streamingHandle().cancel();
                    } else {
                        onPartialResponse(partial.text());
                    }
                }

                @Override
                public void onPartialResponse(String text) {
                    if (!abandoned.get()) {
                        streamed.set(true);
                        listener.token(text);
                    }
                }

                @Override
                public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
                    if (abandoned.get()) {
                        context.streamingHandle().cancel();
                    } else {
                        onPartialToolCall(call);
                    }
                }

                @Override
                public void onPartialToolCall(PartialToolCall call) {
                    if (!abandoned.get()) {
                        streamed.set(true);
                        listener.toolCallChunk(call.index(), call.id(), call.name(), call.partialArguments());
                    }
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
            return done.get(callDeadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            abandoned.set(true);
            throw interrupted("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            throw new FailedAttempt(e.getCause(), streamed.get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new FailedAttempt(new ModelProtocolError("never reported the end of its answer within "
                    + callDeadline.toSeconds() + " s"), streamed.get());
        }
    }

    private static ModelProtocolError protocolError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ModelProtocolError protocolError) {
                return protocolError;
            }
        }
        return null;
    }

    /**
     * Only the network and the provider's 429 and 5xx answers are transient. A JSON error is not:
     * langchain4j raises one (an IOException) when the model garbled its own tool arguments, and
     * a retry would send the same conversation again.
     */
    private static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JacksonException) {
                return false;
            }
            if (t instanceof RateLimitException || t instanceof InternalServerException
                    || t instanceof TimeoutException || t instanceof IOException) {
                return true;
            }
            if (t instanceof HttpException http && (http.statusCode() == 429 || http.statusCode() >= 500)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fault is how the interruption travels up: the interrupt status stays cleared, since the
     * job's way out still needs the database (releasing its lease so another pod resumes it at
     * once), and a virtual thread's socket I/O fails, closing the connection, while it is set.
     */
    private static InfrastructureFault interrupted(String what, Throwable e) {
        return new InfrastructureFault(DEPENDENCY, what, e);
    }
}
