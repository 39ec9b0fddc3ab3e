package io.bizmatters.agentexecutor.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.testsupport.CountingRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /health, /ready and /metrics, and what the service answers while NATS is down. */
class ProbesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServers.NatsServer nats;
    private static RunningService service;

    @BeforeAll
    static void start() {
        nats = TestServers.NatsServer.start();
        service = RunningService.start(Map.of("NATS_URL", nats.url()), infrastructure -> new CountingRunner());
    }

    @AfterAll
    static void stop() {
        service.close();
        nats.close();
    }

    @Test
    void healthAnswersHealthy() throws Exception {
        HttpResponse<String> response = service.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"healthy\"}"));
    }

    @Test
    void readyAnswersReadyWithEveryDependency() throws Exception {
        HttpResponse<String> response = service.get("/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"status\":\"ready\",\"services\":{\"dragonfly\":true,\"postgres\":true,\"nats\":true}}"));
    }

    @Test
    void metricsCarryTheContractsNamesAndCamelAndJvmMetrics() {
        assertThat(service.post(SampleJobs.structuredCloudEvent(SampleJobs.newJobId(), "t"),
                "Content-Type", "application/cloudevents+json").statusCode()).isEqualTo(200);

        HttpResponse<String> response = service.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body())
                .containsPattern("(?m)^agent_executor_jobs_total\\{status=\"completed\"\\} [1-9]")
                .containsPattern("(?m)^agent_executor_jobs_total\\{status=\"failed\"\\} ")
                .containsPattern("(?m)^agent_executor_job_duration_seconds_count [1-9]")
                .containsPattern("(?m)^agent_executor_job_duration_seconds_bucket\\{")
                .containsPattern("(?m)^agent_executor_db_connection_errors_total ")
                .containsPattern("(?m)^agent_executor_redis_publish_total\\{event_type=\"end\"\\} ")
                .containsPattern("(?m)^agent_executor_redis_publish_errors_total ")
                .containsPattern("(?m)^agent_executor_nats_messages_processed_total ")
                .containsPattern("(?m)^agent_executor_nats_messages_failed_total ")
                .containsPattern("(?m)^camel_exchanges_total\\{")
                .containsPattern("(?m)^jvm_memory_used_bytes\\{");
    }

    @Test
    void whileNatsIsDownReadyNamesItAndJobsAreAnswered503() throws Exception {
        nats.stop();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> response = service.get("/ready");
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                        "{\"status\":\"not_ready\",\"services\":{\"dragonfly\":true,\"postgres\":true,\"nats\":false}}"));
            });

            HttpResponse<String> job = service.post(SampleJobs.structuredCloudEvent(SampleJobs.newJobId(), "t"),
                    "Content-Type", "application/cloudevents+json");

            assertThat(job.statusCode()).isEqualTo(503);
            JsonNode error = JSON.readTree(job.body());
            assertThat(error.get("dependency").asText()).isEqualTo("nats");
        } finally {
            nats.restart();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> service.get("/ready").statusCode() == 200);
    }
}
