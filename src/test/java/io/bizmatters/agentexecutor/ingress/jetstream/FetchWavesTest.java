package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7's lost warm-up jobs: messages fetched and never dispatched. Many waves of jobs, of
 * random sizes at random moments (so some land as a pull request expires), against an engine that
 * answers at once (the stand-in of scripts/bench/in-flight.sh). Every message must be settled on
 * its first delivery: one that the client dropped would sit unacked until AckWait and come back
 * as a redelivery. (On this machine the waves did not hit the race with the old fetch loop;
 * {@link SlotPullerTest} drives its root cause harder.)
 */
class FetchWavesTest {
    private static final int WAVES = 60;
    private static TestServers.NatsServer nats;
    private static RunningService service;
    private static Connection client;

    @BeforeAll
    static void start() throws Exception {
        nats = TestServers.NatsServer.start();
        AgentRunner instant = job -> new AgentOutcome("instant", List.of());
        service = RunningService.start(Map.of("NATS_URL", nats.url(), "MAX_CONCURRENT_JOBS", "16"), infrastructure -> instant);
        client = Nats.connect(nats.url());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        service.close();
        nats.stop();
    }

    @Test
    void everyMessageOfManyFetchWavesIsSettledOnItsFirstDelivery() throws Exception {
        Random random = new Random(7);
        int published = 0;
        for (int wave = 0; wave < WAVES; wave++) {
            int size = 1 + random.nextInt(40);
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                acks.add(client.jetStream().publishAsync("agent.execute.waves",
                        SampleJobs.jobExecutionEvent(SampleJobs.newJobId(), "waves").getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
            published += size;
            Thread.sleep(random.nextInt(900));
        }

        int total = published;
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            ConsumerInfo info = consumer();
            assertThat(info.getNumPending()).as("num_pending").isZero();
            assertThat(info.getNumAckPending()).as("num_ack_pending: fetched and never settled").isZero();
            assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(total);
        });
        ConsumerInfo info = consumer();
        assertThat(info.getRedelivered()).as("messages that came back after AckWait or a nak").isZero();
        assertThat(info.getDelivered().getConsumerSequence()).as("deliveries").isEqualTo(total);
    }

    private static ConsumerInfo consumer() throws Exception {
        return client.jetStreamManagement().getConsumerInfo(WorkerConsumer.STREAM, WorkerConsumer.CONSUMER);
    }
}
