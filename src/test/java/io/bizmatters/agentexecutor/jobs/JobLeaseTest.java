package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.CancelRequest;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import io.bizmatters.agentexecutor.testsupport.BlippingDataSource;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Single flight per job on the real jobs table: two stores stand for two pods, each with its own
 * lease owner. Leases are aged with SQL, never by waiting.
 */
class JobLeaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AgentOutcome OUTCOME = new AgentOutcome("done", List.of());

    private static HikariDataSource dataSource;
    private static JobStore thisPod;
    private static JobStore otherPod;

    @BeforeAll
    static void migratedDatabase() {
        PostgresSettings postgres = PostgresSettings.fromEnvironment(TestServers.serviceEnvironment());
        Migrations.apply(postgres);
        dataSource = Database.pool(postgres);
        ResultEvents results = new ResultEvents(JSON, "agent-executor-service");
        thisPod = new JobStore(dataSource, JSON, results);
        otherPod = new JobStore(dataSource, JSON, results);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Test
    void aDeliveryThatFindsALiveLeaseBacksOffWhicheverPodItReaches() {
        String jobId = SampleJobs.newJobId();
        JobRecord claimed = thisPod.claim(delivery(jobId));

        assertThatThrownBy(() -> otherPod.claim(delivery(jobId)))
                .isInstanceOf(JobRunningElsewhere.class).hasMessageContaining(jobId);
        assertThatThrownBy(() -> thisPod.claim(delivery(jobId))).isInstanceOf(JobRunningElsewhere.class);

        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(column(jobId, "attempts")).as("every delivery counts as an attempt").isEqualTo("3");
        assertThat(column(jobId, "lease_until > now() + interval '8 seconds'")).isEqualTo("true");
    }

    @Test
    void ofManyDeliveriesClaimingANewJobAtOnceExactlyOneGetsTheLease() throws Exception {
        String jobId = SampleJobs.newJobId();
        List<Callable<Boolean>> claims = IntStream.range(0, 16)
                .mapToObj(i -> (Callable<Boolean>) () -> claimed(i % 2 == 0 ? thisPod : otherPod, jobId)).toList();

        List<Boolean> outcomes;
        try (ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor()) {
            outcomes = deliveries.invokeAll(claims).stream().map(Future::resultNow).toList();
        }

        assertThat(outcomes).containsOnlyOnce(true).hasSize(16);
        assertThat(column(jobId, "attempts")).isEqualTo("16");
    }

    @Test
    void anExpiredLeaseOfACrashedPodIsTakenOver() {
        String jobId = SampleJobs.newJobId();
        execute("INSERT INTO jobs (id, trace_id, status, lease_owner, lease_until)"
                + " VALUES (?, 'trace', 'running', 'crashed-pod', now() - interval '1 second')", jobId);

        JobRecord takenOver = thisPod.claim(delivery(jobId));

        assertThat(takenOver.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(takenOver.attempts()).isEqualTo(2);
        assertThat(column(jobId, "lease_owner")).isNotEqualTo("crashed-pod");
        assertThat(column(jobId, "lease_until > now()")).isEqualTo("true");
    }

    @Test
    void aRunningJobFromBeforeTheLeaseMigrationIsFreeToTakeOver() {
        String jobId = SampleJobs.newJobId();
        execute("INSERT INTO jobs (id, trace_id, status) VALUES (?, 'trace', 'running')", jobId);

        assertThat(thisPod.claim(delivery(jobId)).attempts()).isEqualTo(2);
    }

    @Test
    void aStaleOwnerCannotFinishAJobTakenOverAndTheNewOwnerCan() {
        String jobId = SampleJobs.newJobId();
        AgentJob stale = delivery(jobId);
        thisPod.claim(stale);
        expireLease(jobId);
        AgentJob takeover = delivery(jobId);
        otherPod.claim(takeover);

        assertThatThrownBy(() -> thisPod.recordCompleted(stale, OUTCOME))
                .isInstanceOf(JobRunningElsewhere.class).hasMessageContaining("lost its lease");
        assertThatThrownBy(() -> thisPod.recordFailed(stale, new IllegalStateException("late failure")))
                .isInstanceOf(JobRunningElsewhere.class);
        assertThat(column(jobId, "status")).isEqualTo("running");
        assertThat(column(jobId, "error")).isNull();

        otherPod.recordCompleted(takeover, OUTCOME);

        assertThat(column(jobId, "status")).isEqualTo("completed");
        assertThat(column(jobId, "lease_owner")).isNull();
        assertThat(column(jobId, "lease_until")).isNull();
    }

    @Test
    void aFinishedJobIsReturnedForRepublishingAndNeverLeasedAgain() {
        String jobId = SampleJobs.newJobId();
        AgentJob first = delivery(jobId);
        thisPod.claim(first);
        thisPod.recordCompleted(first, OUTCOME);

        JobRecord duplicate = otherPod.claim(delivery(jobId));

        assertThat(duplicate.isFinished()).isTrue();
        assertThat(duplicate.result().path("output").asText()).isEqualTo("done");
        assertThat(column(jobId, "lease_owner")).isNull();
    }

    @Test
    void renewalExtendsTheLeasesThisPodStillHoldsAndNoOthers() {
        String held = SampleJobs.newJobId();
        String takenOver = SampleJobs.newJobId();
        thisPod.claim(delivery(held));
        thisPod.claim(delivery(takenOver));
        execute("UPDATE jobs SET lease_until = now() + interval '1 second' WHERE id = ?", held);
        execute("UPDATE jobs SET lease_owner = 'other-pod', lease_until = now() + interval '1 second' WHERE id = ?", takenOver);

        thisPod.renewLeases();

        assertThat(column(held, "lease_until > now() + interval '8 seconds'")).isEqualTo("true");
        assertThat(column(takenOver, "lease_until > now() + interval '8 seconds'")).isEqualTo("false");
        assertThat(column(takenOver, "lease_owner")).isEqualTo("other-pod");
    }

    /** A pod that missed a cancel's broadcast learns of it from its next renewal, and stops the job mid-call. */
    @Test
    void renewalNamesTheHeldJobsThatWereCancelled() {
        String cancelled = SampleJobs.newJobId();
        String running = SampleJobs.newJobId();
        thisPod.claim(delivery(cancelled));
        thisPod.claim(delivery(running));
        CancelRecords cancels = new CancelRecords(dataSource, new ResultEvents(JSON, "agent-executor-service"));

        assertThat(cancels.record(new CancelRequest(cancelled, "stop it")))
                .isEqualTo(new CancelRecords.Recorded(CancelRecords.Found.RUNNING, "stop it"));

        assertThat(thisPod.renewLeases()).isEqualTo(java.util.Map.of(cancelled, "stop it"));
        assertThat(column(cancelled, "cancel_reason")).isEqualTo("stop it");
        assertThat(column(running, "cancel_reason")).isNull();
        cancels.record(new CancelRequest(running, null));
        assertThat(cancels.record(new CancelRequest(running, "a second cancel"))).as("the first cancel's reason stays")
                .isEqualTo(new CancelRecords.Recorded(CancelRecords.Found.RUNNING, CancelRequest.NO_REASON));
        assertThat(column(running, "cancel_reason")).isEqualTo(CancelRequest.NO_REASON);
        assertThat(cancels.record(new CancelRequest(SampleJobs.newJobId(), null)).found()).isEqualTo(CancelRecords.Found.UNKNOWN);
    }

    @Test
    void releasingFreesTheLeaseAtOnceButOnlyForTheDeliveryThatHoldsIt() {
        String jobId = SampleJobs.newJobId();
        AgentJob holder = delivery(jobId);
        thisPod.claim(holder);

        thisPod.release(delivery(jobId));
        assertThatThrownBy(() -> otherPod.claim(delivery(jobId))).isInstanceOf(JobRunningElsewhere.class);

        thisPod.release(holder);
        assertThat(otherPod.claim(delivery(jobId)).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aLeaseWhoseReleaseFailedInAPostgresBlipIsClaimedAtOnceByTheSameProcessAndByNoOther() {
        BlippingDataSource blipping = new BlippingDataSource(dataSource, TestServers.postgres());
        JobStore pod = new JobStore(blipping, JSON, new ResultEvents(JSON, "agent-executor-service"));
        String jobId = SampleJobs.newJobId();
        AgentJob first = delivery(jobId);
        pod.claim(first);

        blipping.blipNextConnection();
        pod.release(first);

        assertThat(column(jobId, "lease_until > now()")).as("the failed release left the lease in place").isEqualTo("true");
        assertThatThrownBy(() -> otherPod.claim(delivery(jobId))).isInstanceOf(JobRunningElsewhere.class);
        JobRecord redelivery = pod.claim(delivery(jobId));
        assertThat(redelivery.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(redelivery.attempts()).isEqualTo(3);
        assertThatThrownBy(() -> pod.claim(delivery(jobId))).as("while it runs here, a third delivery backs off")
                .isInstanceOf(JobRunningElsewhere.class);
    }

    private static boolean claimed(JobStore pod, String jobId) {
        try {
            pod.claim(delivery(jobId));
            return true;
        } catch (JobRunningElsewhere e) {
            return false;
        }
    }

    private static AgentJob delivery(String jobId) {
        return new AgentJob(jobId, "trace", JSON.createObjectNode(), JSON.createObjectNode());
    }

    private static void expireLease(String jobId) {
        execute("UPDATE jobs SET lease_until = now() - interval '1 second' WHERE id = ?", jobId);
    }

    private static void execute(String sql, String jobId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, jobId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One column (or boolean expression) of the job's row, as text. */
    private static String column(String jobId, String expression) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT (" + expression + ")::text FROM jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
