package io.bizmatters.agentexecutor.testsupport;

import java.util.ArrayList;
import java.util.List;

/** A redis-server of this test's own, so the test can take Dragonfly away and bring it back. */
public final class RedisServerProcess implements AutoCloseable {
    private final ServerProcess server;

    private RedisServerProcess(int port, List<String> options) {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(options);
        server = new ServerProcess("redis-server", port, command, null);
    }

    public static RedisServerProcess onFreePort() {
        return new RedisServerProcess(TestServers.freePort(), List.of());
    }

    /** With server options of the test's own after the defaults, e.g. {@code --stream-node-max-entries 2}. */
    public static RedisServerProcess onFreePort(String... options) {
        return new RedisServerProcess(TestServers.freePort(), List.of(options));
    }

    public int port() {
        return server.port();
    }

    public RedisServerProcess start() {
        server.start();
        return this;
    }

    /** Takes the server away at once, as a crashed Dragonfly would go. */
    public void kill() {
        server.stop(true);
    }

    @Override
    public void close() {
        kill();
    }
}
