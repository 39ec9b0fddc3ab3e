package io.bizmatters.agentexecutor.testsupport;

import io.bizmatters.agentexecutor.ExecutorApplication;
import io.bizmatters.agentexecutor.agent.AgentRunner;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;

/**
 * The service in a JVM of its own, so a test can {@code kill -9} it as Kubernetes kills a pod:
 * no drain, no nak, no lease release. Its engine holds every job, as a model that never answers.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final File log;

    private ServiceProcess(Process process, File log) {
        this.process = process;
        this.log = log;
    }

    /** Starts it on {@code environment} (docs/contract.md variables; PORT included) and waits for /ready. */
    public static ServiceProcess start(Map<String, String> environment) throws IOException {
        Path log = Files.createTempFile("service-process-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ServiceProcess.class.getName())).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ServiceProcess service = new ServiceProcess(builder.start(), log.toFile());
        URI ready = URI.create("http://127.0.0.1:" + environment.get("PORT") + "/ready");
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!service.process.isAlive()) {
                throw new IllegalStateException("the service process exited; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return service;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    @Override
    public String toString() {
        return "service process " + process.pid() + " (log " + log + ")";
    }

    /** The child's entry point: the service with an engine that holds every job until the process dies. */
    public static void main(String[] args) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AgentRunner held = job -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        };
        new ExecutorApplication(System.getenv(), infrastructure -> held).start();
        never.await();
    }
}
