package io.bizmatters.agentexecutor.testsupport;

import io.bizmatters.agentexecutor.ExecutorApplication;
import io.bizmatters.agentexecutor.SharedInfrastructure;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.jobs.Migrations;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The whole service started in-process against {@link TestServers}, with the migrations applied
 * and the engine of the test's choice. One per test class; close it in {@code @AfterAll}.
 */
public final class RunningService implements AutoCloseable {
    private final ExecutorApplication application;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningService(ExecutorApplication application) {
        this.application = application;
    }

    /** The service on {@link TestServers#serviceEnvironment()} with {@code runner} as its engine. */
    public static RunningService start(AgentRunner runner) {
        return start(Map.of(), infrastructure -> runner);
    }

    /** @param overrides environment variables replacing those of {@link TestServers#serviceEnvironment()} */
    public static RunningService start(Map<String, String> overrides, Function<SharedInfrastructure, AgentRunner> engine) {
        Map<String, String> environment = new HashMap<>(TestServers.serviceEnvironment());
        environment.putAll(overrides);
        Migrations.apply(PostgresSettings.fromEnvironment(environment));
        ExecutorApplication application = new ExecutorApplication(environment, engine);
        try {
            application.start();
        } catch (Exception e) {
            application.stop();
            throw new IllegalStateException("the service did not start", e);
        }
        return new RunningService(application);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + application.settings().httpPort() + path);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** DELETE {@code path}, with a JSON body unless it is null (a cancel's reason). */
    public HttpResponse<String> delete(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).method("DELETE",
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs {@code body} to / with the given headers (name, value, name, value...). */
    public HttpResponse<String> post(String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /** POSTs a JSON {@code body} to {@code path}. */
    public HttpResponse<String> postTo(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The sum of every sample of the Prometheus series {@code name} on /metrics, 0 when it has none. */
    public double metricSum(String name) {
        return get("/metrics").body().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        application.stop();
    }
}
