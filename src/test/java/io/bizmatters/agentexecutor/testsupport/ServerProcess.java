package io.bizmatters.agentexecutor.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A server binary run by a test on a port of its own, so the test can take it away (gently or
 * with a kill) and bring it back to see how the service behaves meanwhile.
 */
public final class ServerProcess {
    /**
     * Servers run in a session of their own where setsid exists: a Ctrl-C in a terminal signals the
     * whole foreground process group, and the owner (a local run) stops its servers itself, after the
     * service that uses them.
     */
    private static final List<String> OWN_SESSION = Files.isExecutable(Path.of("/usr/bin/setsid"))
            ? List.of("/usr/bin/setsid") : List.of();

    private final String name;
    private final int port;
    private final List<String> command;
    private final File log;
    private Map<String, String> environment;
    private Duration startTimeout = Duration.ofSeconds(10);
    private Process process;

    /** @param log where the server's output goes (appended); null discards it */
    public ServerProcess(String name, int port, List<String> command, File log) {
        this.name = name;
        this.port = port;
        this.command = command;
        this.log = log;
    }

    /** Runs the server with exactly these environment variables instead of the test's own. */
    public ServerProcess environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** How long {@link #start()} waits for the port; a JVM service on a busy machine needs more than a binary. */
    public ServerProcess startTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
        return this;
    }

    public int port() {
        return port;
    }

    /** The running process's id; fails when it is not running. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    /** Starts the server and returns once it accepts connections on its port. */
    public void start() {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(OWN_SESSION.stream(), command.stream()).toList())
                .redirectErrorStream(true)
                .redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log));
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (is it on PATH?)", e);
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!TestServers.answers("127.0.0.1", port)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                stop(true);
                throw new IllegalStateException(name + " did not start on port " + port
                        + (log == null ? "" : "; see " + log));
            }
            sleep(20);
        }
    }

    /** Stops the server: gently (it may flush), or at once as a crashed process would. */
    public void stop(boolean kill) {
        if (process != null) {
            if (kill) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Deletes a folder a server wrote (its store, its extracted binary), once the server is gone. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
