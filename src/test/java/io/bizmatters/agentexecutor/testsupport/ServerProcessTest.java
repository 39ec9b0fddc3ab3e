package io.bizmatters.agentexecutor.testsupport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The servers tests and local runs start leave nothing behind, and a terminal's Ctrl-C does not reach them. */
class ServerProcessTest {

    @Test
    void aNatsServerKeepsItsStoreAcrossARestartAndDeletesItWhenClosed() {
        TestServers.NatsServer nats = TestServers.NatsServer.start();
        Path store = nats.storeDir();
        try {
            assertThat(store).isDirectory();
            assertThat(store.getFileName().toString()).startsWith("nats-js-");
            nats.stop();
            assertThat(store).isDirectory();
            nats.restart();
            assertThat(TestServers.answers("127.0.0.1", port(nats))).isTrue();
        } finally {
            nats.close();
        }
        assertThat(store).doesNotExist();
        assertThat(TestServers.answers("127.0.0.1", port(nats))).isFalse();
    }

    @Test
    void aNatsServerLoggingElsewhereLeavesItsLogAndDeletesItsStore() throws IOException {
        Path log = Files.createTempFile("nats-server-", ".log");
        try {
            TestServers.NatsServer nats = TestServers.NatsServer.start(log);
            Path store = nats.storeDir();
            nats.close();

            assertThat(store).doesNotExist();
            assertThat(Files.readString(log)).contains("Server is ready");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aServerRunsInASessionOfItsOwnSoATerminalsCtrlCLeavesItToItsOwner() throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.onFreePort().start()) {
            ProcessHandle server = ProcessHandle.current().children()
                    .filter(child -> commandLine(child.pid()).contains(Integer.toString(redis.port())))
                    .findFirst().orElseThrow();

            assertThat(processGroup(server.pid())).isNotEqualTo(processGroup(ProcessHandle.current().pid()));
        }
    }

    /** As the process shows it (redis-server rewrites it to "redis-server 127.0.0.1:PORT"). */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Field 5 of /proc/PID/stat, after the parenthesised command name. */
    private static String processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2];
    }

    private static int port(TestServers.NatsServer nats) {
        return Integer.parseInt(nats.url().substring(nats.url().lastIndexOf(':') + 1));
    }
}
