package io.bizmatters.agentexecutor.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.ingress.jetstream.PullHealth;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import io.nats.client.Connection;
import org.apache.camel.Exchange;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /ready}: PostgreSQL, Dragonfly and NATS, checked at once with a short deadline so a
 * hung dependency answers "not ready" instead of timing out the probe. NATS counts as up only while
 * it is connected and the JetStream pulls reach it. Nothing here is on a job's path.
 */
public class ReadinessProbe implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final JedisPool dragonfly;
    private final Connection nats;
    private final PullHealth pulls;
    private final ObjectMapper json;

    public ReadinessProbe(DataSource dataSource, DragonflySettings dragonfly, Connection nats, PullHealth pulls, ObjectMapper json) {
        this.dataSource = dataSource;
        // Two: a probe that hung past its deadline still holds one while the next probe runs.
        this.dragonfly = dragonfly.pool("agent-executor-ready", DEADLINE, 2);
        this.nats = nats;
        this.pulls = pulls;
        this.json = json;
    }

    public String check(Exchange exchange) {
        Map<String, Boolean> services = checkAll();
        boolean ready = !services.containsValue(false);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, ready ? 200 : 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ObjectNode body = json.createObjectNode().put("status", ready ? "ready" : "not_ready");
        services.forEach(body.putObject("services")::put);
        return body.toString();
    }

    Map<String, Boolean> checkAll() {
        // Not try-with-resources: closing would wait for a hung check, which is what the deadline avoids.
        ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Map<String, CompletableFuture<Boolean>> running = new LinkedHashMap<>();
            running.put("dragonfly", CompletableFuture.supplyAsync(quietly(this::dragonfly), checks));
            running.put("postgres", CompletableFuture.supplyAsync(quietly(this::postgres), checks));
            running.put("nats", CompletableFuture.supplyAsync(quietly(this::nats), checks));
            Map<String, Boolean> results = new LinkedHashMap<>();
            running.forEach((name, check) -> results.put(name,
                    check.completeOnTimeout(false, DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join()));
            return results;
        } finally {
            checks.shutdownNow();
        }
    }

    private boolean postgres() throws Exception {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid((int) DEADLINE.toSeconds());
        }
    }

    private boolean dragonfly() {
        try (Jedis jedis = dragonfly.getResource()) {
            return "PONG".equals(jedis.ping());
        }
    }

    /** Connected is not enough: the pulls must still reach the server (see {@link PullHealth}). */
    private boolean nats() {
        return nats.getStatus() == Connection.Status.CONNECTED && !pulls.isStalled();
    }

    @Override
    public void close() {
        dragonfly.close();
    }

    private static Supplier<Boolean> quietly(Callable<Boolean> check) {
        return () -> {
            try {
                return check.call();
            } catch (Exception e) {
                return false;
            }
        };
    }
}
