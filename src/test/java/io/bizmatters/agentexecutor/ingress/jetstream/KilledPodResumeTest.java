package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.jobs.JobStore;
import io.bizmatters.agentexecutor.jobs.Migrations;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.ServiceProcess;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.bizmatters.agentexecutor.testsupport.WorkerConsumer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pod killed with SIGKILL mid-job: another pod takes the job over on the message's first
 * redelivery (after AckWait), because the killed pod's lease has run out by then. A redelivery
 * that found the lease still held would back off behind a nak delay instead (issue 14: 5 minutes).
 */
class KilledPodResumeTest {

    @Test
    void aKilledPodsJobIsTakenOverByAnotherPodOnItsFirstRedelivery() throws Exception {
        assertThat(JobStore.LEASE.plus(JetStreamTopology.ACK_WAIT.dividedBy(JetStreamTopology.IN_PROGRESS_DIVISOR)))
                .as("a killed pod's lease runs out before the last in-progress ack's AckWait").isLessThan(JetStreamTopology.ACK_WAIT);
        TestServers.NatsServer nats = TestServers.NatsServer.start();
        Map<String, String> environment = new HashMap<>(TestServers.serviceEnvironment());
        environment.put("NATS_URL", nats.url());
        Migrations.apply(PostgresSettings.fromEnvironment(environment));
        String jobId = SampleJobs.newJobId();
        AtomicLong resumedAt = new AtomicLong();
        AgentRunner survivor = job -> {
            resumedAt.compareAndSet(0, System.nanoTime());
            return new AgentOutcome("resumed", List.of());
        };
        try (Connection client = Nats.connect(nats.url())) {
            ServiceProcess doomed = ServiceProcess.start(environment);
            long published = client.jetStream().publish("agent.execute.test",
                    SampleJobs.structuredCloudEvent(jobId, "trace").getBytes(StandardCharsets.UTF_8)).getSeqno();
            await().atMost(Duration.ofSeconds(30)).until(() -> leaseOwner(jobId).startsWith(doomed.pid() + "@"));

            try (RunningService other = RunningService.start(Map.of("NATS_URL", nats.url()), infrastructure -> survivor)) {
                doomed.kill();
                long killedAt = System.nanoTime();

                WorkerConsumer.awaitSettled(client, published);
                Duration resume = Duration.ofNanos(resumedAt.get() - killedAt);
                System.out.println("RESUME after kill -9: " + resume.toMillis() + " ms (AckWait " + JetStreamTopology.ACK_WAIT
                        + ", lease " + JobStore.LEASE + ")");
                assertThat(resumedAt.get()).as("the other pod ran the job").isPositive();
                assertThat(attempts(jobId)).as("the first redelivery took it over: no delivery backed off").isEqualTo(2);
                assertThat(client.jetStreamManagement().getConsumerInfo(WorkerConsumer.STREAM, WorkerConsumer.CONSUMER)
                        .getDelivered().getConsumerSequence()).as("two deliveries in all").isEqualTo(2);
            }
        } finally {
            nats.stop();
        }
    }

    private static String leaseOwner(String jobId) throws Exception {
        String owner = column(jobId, "lease_owner");
        return owner == null ? "" : owner;
    }

    private static int attempts(String jobId) throws Exception {
        return Integer.parseInt(column(jobId, "attempts"));
    }

    private static String column(String jobId, String column) throws Exception {
        try (java.sql.Connection c = TestServers.postgres().connect();
             PreparedStatement s = c.prepareStatement("SELECT " + column + "::text FROM jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
