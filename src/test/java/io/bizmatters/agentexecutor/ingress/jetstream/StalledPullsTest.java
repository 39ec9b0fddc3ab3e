package io.bizmatters.agentexecutor.ingress.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.testsupport.CountingRunner;
import io.bizmatters.agentexecutor.testsupport.FreezingProxy;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14's silent pod: the connection says CONNECTED while nothing the client writes reaches
 * the server (a stuck jnats writer). /ready and /metrics must show it while a job waits.
 */
class StalledPullsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PullHealth.STALL_LIMIT, the fault suite's limit too. */
    private static final long STALL_LIMIT_SECONDS = 10;

    @Test
    void pullsThatStopReachingTheServerTurnReadyTo503AndShowInTheStallMetric() throws Exception {
        TestServers.NatsServer nats = TestServers.NatsServer.start();
        int natsPort = URI.create(nats.url()).getPort();
        CountingRunner runner = new CountingRunner();
        try (FreezingProxy proxy = new FreezingProxy(natsPort);
             RunningService service = RunningService.start(Map.of("NATS_URL", "nats://127.0.0.1:" + proxy.port()),
                     infrastructure -> runner);
             Connection client = Nats.connect(nats.url())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> service.get("/ready").statusCode() == 200);
            Thread.sleep(Duration.ofSeconds(STALL_LIMIT_SECONDS + 3));
            assertThat(service.get("/ready").statusCode()).as("an idle pod with nothing pending is no stall").isEqualTo(200);
            assertThat(service.metricSum("agent_executor_nats_pull_stall_seconds")).isLessThan(STALL_LIMIT_SECONDS);

            proxy.freezeUpstream();
            String jobId = SampleJobs.newJobId();
            PublishAck waiting = client.jetStream().publish("agent.execute.test",
                    SampleJobs.structuredCloudEvent(jobId, "trace").getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(30)).until(() -> service.get("/ready").statusCode() == 503);
            HttpResponse<String> ready = service.get("/ready");
            assertThat(JSON.readTree(ready.body())).isEqualTo(JSON.readTree(
                    "{\"status\":\"not_ready\",\"services\":{\"dragonfly\":true,\"postgres\":true,\"nats\":false}}"));
            assertThat(service.metricSum("agent_executor_nats_pull_stall_seconds"))
                    .isGreaterThan(STALL_LIMIT_SECONDS);

            proxy.thaw();
            WorkerConsumer.awaitSettled(client, waiting.getSeqno());
            await().atMost(Duration.ofSeconds(20)).until(() -> service.get("/ready").statusCode() == 200);
            assertThat(runner.runsOf(jobId)).as("a pull already open when the writer froze may have delivered it").isEqualTo(1);
            assertThat(service.metricSum("agent_executor_nats_pull_stall_seconds")).isLessThan(STALL_LIMIT_SECONDS);
        } finally {
            nats.stop();
        }
    }
}
