package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.SlowModelStreams;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelHttpClientsTest {
    private final ModelHttpClients clients = new ModelHttpClients(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(600));

    @Test
    void aFormRequestIsRefusedByNameSinceNoChatModelSendsOne() {
        HttpRequest upload = HttpRequest.builder().method(HttpMethod.POST).url("http://127.0.0.1:1/audio")
                .addFormDataField("model", "whisper")
                .addFormDataFile("file", "a.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))
                .build();

        assertThatThrownBy(() -> clients.builder().build().execute(upload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a multipart form request to http://127.0.0.1:1/audio is not supported");
    }

    @Test
    void aStreamWhoseAnswerDoesNotStartWithinTheReadTimeoutEndsInATimeout() throws Exception {
        try (OpenAiTestServer server = new OpenAiTestServer()) {
            server.hold(1);
            HttpClient client = clients.builder().readTimeout(Duration.ofMillis(200)).build();
            CompletableFuture<Throwable> error = new CompletableFuture<>();

            client.execute(HttpRequest.builder().method(HttpMethod.POST).url(server.baseUrl() + "/chat/completions")
                    .body("{}").build(), (ServerSentEventListener) error::complete);

            assertThat(error.get(30, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void interruptingAJobStopsItsWaitForAStreamingModel() throws Exception {
        try (SlowModelStreams streams = SlowModelStreams.start(1)) {
            assertThat(streams.awaitAllStreaming(Duration.ofSeconds(30))).isTrue();

            streams.interruptJobs();

            assertThatThrownBy(() -> streams.answers().getFirst().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InfrastructureFault.class)
                    .hasMessageContaining("interrupted while waiting for the model");
        }
    }
}
