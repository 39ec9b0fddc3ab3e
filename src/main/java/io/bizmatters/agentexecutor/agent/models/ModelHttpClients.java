package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The HTTP transport all models share: one JDK client per connect timeout (in practice one), so
 * thousands of jobs share its connection pool and selector thread, and every model stream is read
 * on a virtual thread of its own ({@link VirtualThreadHttpClient}). Hand {@link #builder()} to a
 * langchain4j model builder's {@code httpClientBuilder(...)}.
 */
public final class ModelHttpClients {
    /** One timer thread for every stream's deadlines: a check is a few instructions. */
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("model-stream-deadlines").daemon().factory());

    private final Map<Optional<Duration>, java.net.http.HttpClient> byConnectTimeout = new ConcurrentHashMap<>();
    private final VirtualThreadHttpClient.StreamDeadlines deadlines;

    /**
     * @param idle  how long a stream may go without an event (AGENT_MODEL_IDLE_TIMEOUT_SECONDS)
     * @param total how long a whole stream may last (AGENT_MODEL_TOTAL_TIMEOUT_SECONDS)
     */
    public ModelHttpClients(Duration idle, Duration total) {
        this.deadlines = new VirtualThreadHttpClient.StreamDeadlines(idle, total, TIMERS);
    }

    /** A builder for one model; the model sets the timeouts it was configured with. */
    public HttpClientBuilder builder() {
        return new Builder();
    }

    private java.net.http.HttpClient sharedClient(Duration connectTimeout) {
        return byConnectTimeout.computeIfAbsent(Optional.ofNullable(connectTimeout), timeout -> {
            java.net.http.HttpClient.Builder client = java.net.http.HttpClient.newBuilder()
                    .executor(Executors.newVirtualThreadPerTaskExecutor());
            timeout.ifPresent(client::connectTimeout);
            return client.build();
        });
    }

    private final class Builder implements HttpClientBuilder {
        private Duration connectTimeout;
        private Duration readTimeout;

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return new VirtualThreadHttpClient(sharedClient(connectTimeout), readTimeout, deadlines);
        }
    }
}
