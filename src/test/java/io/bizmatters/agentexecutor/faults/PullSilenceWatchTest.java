package io.bizmatters.agentexecutor.faults;

import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamTopology;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault suite's stall detector against a real nats-server and a real pulling process: silent
 * while the process pulls, a stall once the process is frozen (SIGSTOP) with messages pending.
 */
class PullSilenceWatchTest {
    private static final String STREAM = "AGENT_EXECUTION";
    private static final String CONSUMER = "agent-executor-workers";

    private final TestServers.NatsServer nats = TestServers.NatsServer.start();
    private Process puller;

    @AfterEach
    void stop() {
        if (puller != null) {
            puller.destroyForcibly();
        }
        nats.kill();
    }

    @Test
    void reportsAProcessThatStopsPullingWhileMessagesWait() throws Exception {
        try (Connection client = Nats.connect(nats.url())) {
            JetStreamTopology topology = new JetStreamTopology(client);
            topology.ensureStream(JetStreamTopology.stream(STREAM, "agent.execute.*"));
            topology.ensureConsumer(STREAM, JetStreamTopology.workers(CONSUMER, "agent.execute.*"));
            for (int i = 0; i < 200; i++) {
                client.jetStream().publish("agent.execute.test", ("job " + i).getBytes());
            }
            puller = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SlowPuller.class.getName(), nats.url(), STREAM, CONSUMER)
                    .inheritIO().start();
            Map<Long, PullSilenceWatch.Live> live = Map.of(puller.pid(), new PullSilenceWatch.Live("puller", System.currentTimeMillis()));
            try (SuiteConnection watching = new SuiteConnection(nats.url(), "watch");
                 PullSilenceWatch watch = new PullSilenceWatch(watching, nats.monitorUrl(), () -> live, Duration.ofSeconds(4))) {
                watch.start(STREAM, CONSUMER);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> watch.pullsByProcess(Map.of(puller.pid(), "puller")).contains("puller="));
                watch.disturbanceEnded(); // the process's start-up is over

                Thread.sleep(6_000);
                assertThat(watch.stalls()).as("while it pulls").isEmpty();

                signal("STOP");
                Thread.sleep(8_000);
                List<String> stalls = watch.stalls();
                signal("CONT");
                assertThat(stalls).singleElement().asString().startsWith("puller sent no pull request for");
            }
        }
    }

    private void signal(String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(puller.pid())).start().waitFor()).isZero();
    }
}
