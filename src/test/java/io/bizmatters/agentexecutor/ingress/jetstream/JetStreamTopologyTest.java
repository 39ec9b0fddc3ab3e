package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams and the consumer are created with docs/contract.md's settings when missing, and never rewritten. */
class JetStreamTopologyTest {
    private static TestServers.NatsServer nats;
    private static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        nats = TestServers.NatsServer.start();
        connection = Nats.connect(nats.url());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        connection.close();
        nats.close();
    }

    @Test
    void missingStreamAndConsumerAreCreatedWithTheContractsSettings() throws Exception {
        JetStreamTopology topology = new JetStreamTopology(connection);

        assertThat(topology.ensureStream(JetStreamTopology.stream("CREATED", "created.*"))).isEmpty();
        assertThat(topology.ensureConsumer("CREATED", JetStreamTopology.workers("workers", "created.*"))).isEmpty();

        JetStreamManagement management = connection.jetStreamManagement();
        StreamConfiguration stream = management.getStreamInfo("CREATED").getConfiguration();
        assertThat(stream.getSubjects()).containsExactly("created.*");
        assertThat(stream.getRetentionPolicy()).isEqualTo(RetentionPolicy.Limits);
        assertThat(stream.getMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(stream.getStorageType()).isEqualTo(StorageType.File);
        assertThat(stream.getDiscardPolicy()).isEqualTo(DiscardPolicy.Old);
        assertThat(stream.getDuplicateWindow()).isEqualTo(JetStreamTopology.JOB_DUPLICATE_WINDOW);
        ConsumerConfiguration consumer = management.getConsumerInfo("CREATED", "workers").getConsumerConfiguration();
        assertThat(consumer.getAckPolicy()).isEqualTo(AckPolicy.Explicit);
        assertThat(consumer.getFilterSubject()).isEqualTo("created.*");
        assertThat(consumer.getAckWait()).isEqualTo(JetStreamTopology.ACK_WAIT);
        assertThat(consumer.getMaxDeliver()).isEqualTo(JetStreamTopology.MAX_DELIVER);
        assertThat(topology.ensureStream(JetStreamTopology.stream("CREATED", "created.*"))).as("second start").isEmpty();
    }

    @Test
    void theResultStreamKeepsResultIdsLongEnoughToDropALateSecondCopy() throws Exception {
        JetStreamTopology topology = new JetStreamTopology(connection);

        topology.ensureStream(JetStreamTopology.resultStream("RESULTS", "results.*"));

        assertThat(connection.jetStreamManagement().getStreamInfo("RESULTS").getConfiguration().getDuplicateWindow())
                .isEqualTo(JetStreamTopology.RESULT_DUPLICATE_WINDOW)
                .isGreaterThan(JetStreamTopology.ACK_WAIT.plusMinutes(5));
    }

    @Test
    void anExistingResultStreamWithTheDefaultDuplicateWindowIsNamedAndNotRewritten() throws Exception {
        JetStreamManagement management = connection.jetStreamManagement();
        management.addStream(JetStreamTopology.stream("OLD_RESULTS", "old-results.*"));

        var differences = new JetStreamTopology(connection).ensureStream(JetStreamTopology.resultStream("OLD_RESULTS", "old-results.*"));

        assertThat(differences).containsExactly("duplicate_window is PT2M, expected PT10M");
        assertThat(management.getStreamInfo("OLD_RESULTS").getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void anExistingStreamWithOtherSettingsIsLeftAsItIsAndTheDifferencesAreNamed() throws Exception {
        JetStreamManagement management = connection.jetStreamManagement();
        management.addStream(StreamConfiguration.builder().name("PLATFORM_OWNED").subjects("owned.*")
                .storageType(StorageType.Memory).maxAge(Duration.ofHours(1)).build());

        var differences = new JetStreamTopology(connection).ensureStream(JetStreamTopology.stream("PLATFORM_OWNED", "owned.*"));

        assertThat(differences).containsExactlyInAnyOrder(
                "max_age is PT1H, expected PT24H", "storage is memory, expected file");
        StreamConfiguration after = management.getStreamInfo("PLATFORM_OWNED").getConfiguration();
        assertThat(after.getStorageType()).isEqualTo(StorageType.Memory);
        assertThat(after.getMaxAge()).isEqualTo(Duration.ofHours(1));
    }
}
