package io.bizmatters.agentexecutor.agent.models;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.SlowModelStreams;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelHttpClientsTest {
    private final ModelHttpClients clients = new ModelHttpClients(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(600));

    @Test
    void formDataIsSentAsMultipartWithTheBoundaryTheCallerDeclared() throws Exception {
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        echo.createContext("/", exchange -> {
            try (exchange) {
                byte[] answer = (exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        echo.start();
        try {
            HttpRequest upload = HttpRequest.builder().method(HttpMethod.POST)
                    .url("http://127.0.0.1:" + echo.getAddress().getPort() + "/audio")
                    .addHeader("Content-Type", "multipart/form-data; boundary=b42")
                    .addFormDataField("model", "whisper")
                    .addFormDataFile("file", "a.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))
                    .build();

            String echoed = clients.builder().build().execute(upload).body();

            assertThat(echoed).isEqualTo("multipart/form-data; boundary=b42\n"
                    + "--b42\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n"
                    + "--b42\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\nhello\r\n"
                    + "--b42--\r\n");
        } finally {
            echo.stop(0);
        }
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
