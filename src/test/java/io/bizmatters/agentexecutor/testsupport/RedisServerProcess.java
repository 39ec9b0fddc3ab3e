package io.bizmatters.agentexecutor.testsupport;

import java.io.File;
import java.util.List;

/**
 * A redis-server of this test's own, so the test can take Dragonfly away and bring it back. It
 * persists nothing (no RDB, no AOF), so it writes no file anywhere.
 */
public final class RedisServerProcess implements AutoCloseable {
    private final ServerProcess server;

    private RedisServerProcess(String binary, int port, File log) {
        server = new ServerProcess("redis-server", port, List.of(binary, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"), log);
    }

    /** redis-server from PATH, its output discarded. */
    public static RedisServerProcess onFreePort() {
        return onFreePort("redis-server", null);
    }

    /** @param log where the server's output goes; null discards it */
    public static RedisServerProcess onFreePort(String binary, File log) {
        return new RedisServerProcess(binary, TestServers.freePort(), log);
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
