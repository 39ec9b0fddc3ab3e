package io.bizmatters.agentexecutor.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.jobs.JobStore;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Single flight per job through the whole service: a job delivered again while its first run is
 * still going is never run twice, whether the duplicate comes over HTTP or NATS, and a job whose
 * holder crashed is taken over.
 */
class DuplicateDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CE_JSON = "application/cloudevents+json";

    private static final GatedRunner runner = new GatedRunner();
    private static RunningService service;
    private static StatusEvents events;
    private static Connection client;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(runner);
        events = StatusEvents.listen(TestServers.natsUrl());
        client = Nats.connect(TestServers.natsUrl());
    }

    @AfterEach
    void letEveryJobFinish() {
        runner.openAll();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        events.close();
        service.close();
    }

    @Test
    void aJobPostedTwiceAtOnceRunsOnceAndTheLaterClaimIsAnswered409() throws Exception {
        String jobId = SampleJobs.newJobId();
        String event = SampleJobs.structuredCloudEvent(jobId, "trace");
        List<CompletableFuture<HttpResponse<String>>> posts = List.of(
                CompletableFuture.supplyAsync(() -> service.post(event, "Content-Type", CE_JSON)),
                CompletableFuture.supplyAsync(() -> service.post(event, "Content-Type", CE_JSON)));

        await().atMost(Duration.ofSeconds(30)).until(() -> posts.stream().anyMatch(CompletableFuture::isDone));
        HttpResponse<String> duplicate = posts.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().get();
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(duplicate.body());
        assertThat(body.get("job_id").asText()).isEqualTo(jobId);
        assertThat(body.get("status").asText()).isEqualTo("running");
        assertThat(body.get("detail").asText()).contains("already running");
        runner.open(jobId);

        assertThat(posts.stream().filter(post -> post.join() != duplicate).findFirst().orElseThrow().join().statusCode())
                .isEqualTo(200);
        assertThat(events.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
        assertThat(runner.runsOf(jobId)).isEqualTo(1);
        assertThat(events.forJob(jobId)).as("the 409 publishes nothing").hasSize(1);
    }

    /**
     * The 409 promises nothing the first delivery may not keep: when that delivery meets an outage
     * (503, no event), what the 409 told the caller to do, sending the request again, runs the job.
     */
    @Test
    void aDuplicateWhoseRunningDeliveryThenFailsWith503IsToldTheTruthAndItsRetryRunsTheJob() throws Exception {
        String jobId = SampleJobs.newJobId();
        String event = SampleJobs.structuredCloudEvent(jobId, "trace");
        runner.failOnce(jobId);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> service.post(event, "Content-Type", CE_JSON));
        await().until(() -> runner.runsOf(jobId) == 1);

        HttpResponse<String> duplicate = service.post(event, "Content-Type", CE_JSON);
        assertThat(duplicate.statusCode()).isEqualTo(409);
        String detail = JSON.readTree(duplicate.body()).get("detail").asText();
        assertThat(detail).contains("already running", "nothing is published for this request", "Send it again later")
                .doesNotContain("is published when it finishes");
        runner.open(jobId);
        assertThat(first.join().statusCode()).isEqualTo(503);
        assertThat(events.forJob(jobId)).as("an outage publishes no result").isEmpty();

        HttpResponse<String> again = service.post(event, "Content-Type", CE_JSON);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(events.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
        assertThat(runner.runsOf(jobId)).isEqualTo(2);
    }

    @Test
    void aJobPublishedTwiceOnNatsWhileItRunsRunsOnceAndBothMessagesAreAcked() throws Exception {
        String jobId = SampleJobs.newJobId();
        publish(jobId);
        await().until(() -> runner.runsOf(jobId) == 1);

        PublishAck duplicate = publish(jobId);
        await().atMost(Duration.ofSeconds(30)).until(() -> lookUp(jobId).get("attempts").asInt() == 2);
        assertThat(runner.runsOf(jobId)).as("the duplicate backed off").isEqualTo(1);
        assertThat(events.forJob(jobId)).isEmpty();
        runner.open(jobId);

        assertThat(events.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
        WorkerConsumer.awaitSettled(client, duplicate.getSeqno());
        assertThat(runner.runsOf(jobId)).isEqualTo(1);
        // The naked duplicate came back after the job finished: a redelivery of a job whose result is
        // out is acked without a second result, so the job has exactly one.
        assertThat(lookUp(jobId).get("attempts").asInt()).isEqualTo(3);
        assertThat(events.forJob(jobId)).hasSize(1);
    }

    @Test
    void aJobWhoseHolderCrashedIsTakenOverOnceItsLeaseRanOut() throws Exception {
        String jobId = SampleJobs.newJobId();
        sql("INSERT INTO jobs (id, trace_id, status, lease_owner, lease_until)"
                + " VALUES (?, 'trace', 'running', 'crashed-pod', now() - interval '1 second')", jobId);
        runner.open(jobId);

        PublishAck redelivered = publish(jobId);

        assertThat(events.awaitFor(jobId).subject()).isEqualTo("agent.status.completed");
        WorkerConsumer.awaitSettled(client, redelivered.getSeqno());
        assertThat(runner.runsOf(jobId)).isEqualTo(1);
        JsonNode job = lookUp(jobId);
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void theLeaseOfARunningJobIsRenewed() throws Exception {
        String jobId = SampleJobs.newJobId();
        CompletableFuture.runAsync(() -> service.post(SampleJobs.structuredCloudEvent(jobId, "trace"), "Content-Type", CE_JSON));
        await().until(() -> runner.runsOf(jobId) == 1);

        sql("UPDATE jobs SET lease_until = now() + interval '2 seconds' WHERE id = ?", jobId);

        await().atMost(Duration.ofSeconds(20)).until(() -> leaseOutlasts(jobId, JobStore.LEASE.minus(JobStore.LEASE_RENEWAL)));
    }

    private static PublishAck publish(String jobId) throws Exception {
        return client.jetStream().publish("agent.execute.test",
                SampleJobs.structuredCloudEvent(jobId, "trace").getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode lookUp(String jobId) throws Exception {
        return JSON.readTree(service.get("/jobs/" + jobId).body());
    }

    private static void sql(String statement, String jobId) throws Exception {
        try (java.sql.Connection c = TestServers.postgres().connect(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, jobId);
            s.executeUpdate();
        }
    }

    private static boolean leaseOutlasts(String jobId, Duration duration) throws Exception {
        try (java.sql.Connection c = TestServers.postgres().connect();
             PreparedStatement s = c.prepareStatement("SELECT lease_until > now() + ? * interval '1 second' FROM jobs WHERE id = ?")) {
            s.setLong(1, duration.toSeconds());
            s.setString(2, jobId);
            try (ResultSet row = s.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** Holds every job until the test opens its gate, and counts runs per job. */
    private static final class GatedRunner implements AgentRunner {
        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        private final Set<String> failing = ConcurrentHashMap.newKeySet();

        @Override
        public AgentOutcome run(AgentJob job) {
            runs.computeIfAbsent(job.jobId(), id -> new AtomicInteger()).incrementAndGet();
            try {
                gate(job.jobId()).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
            if (failing.remove(job.jobId())) {
                throw new InfrastructureFault("postgres", "connection refused", null);
            }
            return new AgentOutcome("gated output", List.of());
        }

        int runsOf(String jobId) {
            AtomicInteger count = runs.get(jobId);
            return count == null ? 0 : count.get();
        }

        void open(String jobId) {
            gate(jobId).countDown();
        }

        /** The job's next run meets an outage once its gate opens. */
        void failOnce(String jobId) {
            failing.add(jobId);
        }

        void openAll() {
            gates.values().forEach(CountDownLatch::countDown);
        }

        private CountDownLatch gate(String jobId) {
            return gates.computeIfAbsent(jobId, id -> new CountDownLatch(1));
        }
    }
}
