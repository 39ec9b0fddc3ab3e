package io.bizmatters.agentexecutor.streaming;

import io.bizmatters.agentexecutor.testsupport.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** A redis-server of this test's own, so the test can take Dragonfly away and bring it back. */
public final class RedisServerProcess implements AutoCloseable {
    private final int port;
    private Process process;

    RedisServerProcess(int port) {
        this.port = port;
    }

    public static RedisServerProcess onFreePort() {
        return new RedisServerProcess(TestServers.freePort());
    }

    public int port() {
        return port;
    }

    public RedisServerProcess start() throws IOException, InterruptedException {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answers()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            Thread.sleep(20);
        }
        return this;
    }

    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
