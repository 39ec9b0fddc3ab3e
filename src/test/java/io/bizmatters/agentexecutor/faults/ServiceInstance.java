package io.bizmatters.agentexecutor.faults;

import io.bizmatters.agentexecutor.testsupport.ServerProcess;
import io.bizmatters.agentexecutor.testsupport.TestServers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pod of the service: the packaged jar run as an OS process of its own ({@code java -jar
 * target/agent-executor-*.jar}, as scripts/ci/run.sh runs it), so a kill is a real SIGKILL. Each
 * start is a new process with a new name ({@code a1}, {@code a2}, ...): the name is its model API
 * key and its OTEL_SERVICE_NAME, so the model calls and the result events it makes can be told
 * from those of its earlier life.
 */
final class ServiceInstance {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String slot;
    private final Map<String, String> environment;
    private final Path runFolder;
    private int lives;
    private ServerProcess process;
    private String name;

    /** @param environment the service's settings shared by every instance (servers, model, slots) */
    ServiceInstance(String slot, Map<String, String> environment, Path runFolder) {
        this.slot = slot;
        this.environment = environment;
        this.runFolder = runFolder;
    }

    /** Applies the migrations as the init container does: {@code java -jar ... migrate}. */
    static void migrate(Map<String, String> environment, Path runFolder) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(javaCommand("migrate")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runFolder.resolve("migrate.log").toFile()));
        builder.environment().clear();
        builder.environment().putAll(withSystemVariables(environment));
        Process migrate = builder.start();
        if (!migrate.waitFor(120, TimeUnit.SECONDS) || migrate.exitValue() != 0) {
            migrate.destroyForcibly();
            throw new IllegalStateException("migrations failed; see " + runFolder.resolve("migrate.log"));
        }
    }

    /** Starts a new life of this instance and returns once it answers /ready with 200. */
    void start() {
        lives++;
        name = slot + lives;
        int port = TestServers.freePort();
        Map<String, String> env = new HashMap<>(environment);
        env.put("PORT", Integer.toString(port));
        env.put("OPENAI_API_KEY", FaultModel.apiKey(name));
        env.put("OTEL_SERVICE_NAME", "agent-executor-" + name);
        process = new ServerProcess("agent-executor " + name, port, javaCommand(),
                runFolder.resolve(name + ".log").toFile())
                .environment(withSystemVariables(env)).startTimeout(START_TIMEOUT);
        process.start();
        awaitReady(port);
    }

    /** SIGKILL, as a node failure or the OOM killer ends a pod: no drain, no nak, no lease release. */
    void kill() {
        process.stop(true);
    }

    /** The current life's name: {@code a1}, then {@code a2} after a restart. */
    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** Ends the instance at the end of a run, when nothing is left to drain. */
    void stop() {
        if (process != null) {
            process.stop(true);
        }
    }

    private void awaitReady(int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("agent-executor " + name + " did not get ready in " + START_TIMEOUT
                + "; see " + runFolder.resolve(name + ".log"));
    }

    /**
     * {@code java -jar} of the packaged jar. With setpriv the service gets SIGKILL when the suite's
     * thread that started it dies, so even a killed test run leaves no service running on the machine.
     */
    private static List<String> javaCommand(String... arguments) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            command.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-jar", serviceJar().toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static Path serviceJar() {
        Path target = Path.of(System.getProperty("faultsuite.target", "target"));
        try (var jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().matches("agent-executor-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("-sources") && !p.getFileName().toString().contains("-tests"))
                    .findFirst()
                    .filter(jar -> Files.isDirectory(target.resolve("lib")))
                    .orElseThrow(() -> new IllegalStateException("no packaged service in " + target.toAbsolutePath()
                            + " (agent-executor-*.jar and lib/): run it through mvn verify, or scripts/fault-suite.sh"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service's settings plus what any process needs (PATH, HOME), and nothing else of the test's environment. */
    private static Map<String, String> withSystemVariables(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        for (String name : List.of("PATH", "HOME", "LANG", "TMPDIR")) {
            String value = System.getenv(name);
            if (value != null) {
                env.putIfAbsent(name, value);
            }
        }
        return env;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
