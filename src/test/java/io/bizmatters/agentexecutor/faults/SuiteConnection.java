package io.bizmatters.agentexecutor.faults;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The suite's own connection to NATS, replaced by a new one when it stops answering. The suite
 * uses the service's jnats, and a jnats connection can stay stuck after a server restart (jnats
 * #1522, fixed in 2.25.2): without this, the suite would miss what it measures, or wait for nothing.
 */
final class SuiteConnection implements AutoCloseable {
    private static final int FAILURES_BEFORE_REPLACING = 3;
    private static final Duration MIN_LIFE = Duration.ofSeconds(10);

    private final String url;
    private final String name;
    private final List<Consumer<Connection>> onEachConnection = new CopyOnWriteArrayList<>();
    private Connection current;
    private long connectedAt;
    private int failures;

    SuiteConnection(String url, String name) throws Exception {
        this.url = url;
        this.name = name;
        this.current = connect();
    }

    /** Runs {@code setUp} on this connection and on every one that replaces it (e.g. to subscribe). */
    void onEachConnection(Consumer<Connection> setUp) {
        onEachConnection.add(setUp);
        setUp.accept(get());
    }

    synchronized Connection get() {
        return current;
    }

    synchronized void succeeded() {
        failures = 0;
    }

    /** A request failed; after a few in a row, a new connection replaces this one (when NATS accepts it). */
    synchronized void failed() {
        failures++;
        if (failures < FAILURES_BEFORE_REPLACING || System.currentTimeMillis() - connectedAt < MIN_LIFE.toMillis()) {
            return;
        }
        Connection replacement;
        try {
            replacement = connect();
        } catch (Exception natsAway) {
            return;
        }
        Connection stuck = current;
        current = replacement;
        failures = 0;
        Thread.ofVirtual().start(() -> closeQuietly(stuck));
        FaultSchedule.log("the suite's NATS connection " + name + " stopped answering; replaced it");
        onEachConnection.forEach(setUp -> setUp.accept(replacement));
    }

    private Connection connect() throws Exception {
        Connection connection = Nats.connect(Options.builder().server(url).connectionName("fault-suite-" + name)
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(2)).build());
        connectedAt = System.currentTimeMillis();
        return connection;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(current);
    }
}
