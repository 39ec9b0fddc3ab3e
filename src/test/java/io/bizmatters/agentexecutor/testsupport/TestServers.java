package io.bizmatters.agentexecutor.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real servers the integration tests talk to. The services of docker-compose.test.yml are used
 * when they answer (PostgreSQL 15433, Dragonfly 16380, NATS 14222); otherwise the machine's own
 * PostgreSQL on 5432, the Redis-compatible server that .ci/run starts on 16380, and a private
 * nats-server started from PATH. Each test JVM gets a database of its own, so runs never see each
 * other's rows, and a private NATS server, so stream and consumer state never leaks between runs.
 */
public final class TestServers {
    public static final int COMPOSE_POSTGRES_PORT = 15433;
    public static final int DRAGONFLY_PORT = Integer.getInteger("test.dragonfly.port",
            Integer.parseInt(System.getenv().getOrDefault("TEST_DRAGONFLY_PORT", "16380")));
    public static final int COMPOSE_NATS_PORT = 14222;

    private static Postgres postgres;
    private static NatsServer nats;

    private TestServers() {
    }

    /** Connection facts for one PostgreSQL database created for this JVM. */
    public record Postgres(String host, int port, String database, String user, String password) {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), user, password);
        }
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            boolean compose = answers("127.0.0.1", COMPOSE_POSTGRES_PORT);
            int port = compose ? COMPOSE_POSTGRES_PORT : 5432;
            String user = compose ? "test_user" : "postgres";
            String password = compose ? "test_pass" : "";
            String admin = compose ? "test_db" : "postgres";
            String database = "agent_executor_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/" + admin;
            try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL is not reachable at 127.0.0.1:" + port
                        + " as " + user + " (start it, or run docker compose -f docker-compose.test.yml up -d)", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(adminUrl, user, password, database)));
            postgres = new Postgres("127.0.0.1", port, database, user, password);
        }
        return postgres;
    }

    /**
     * The Dragonfly (or Redis-compatible) port, checked with a PING before any test uses it.
     * TEST_DRAGONFLY_PORT moves it, so two checkouts testing at once never read each other's
     * channels (tests reuse job ids).
     */
    public static int dragonflyPort() {
        String reply = ping("127.0.0.1", DRAGONFLY_PORT);
        if (!"+PONG".equals(reply)) {
            throw new IllegalStateException("No Redis-compatible server answers PING on 127.0.0.1:" + DRAGONFLY_PORT
                    + " (got " + reply + "). bash .ci/run starts one; or run docker compose -f docker-compose.test.yml up -d");
        }
        return DRAGONFLY_PORT;
    }

    /** The NATS URL every test in this JVM shares. */
    public static synchronized String natsUrl() {
        if (answers("127.0.0.1", COMPOSE_NATS_PORT)) {
            return "nats://127.0.0.1:" + COMPOSE_NATS_PORT;
        }
        if (nats == null) {
            nats = NatsServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(nats::close));
        }
        return nats.url();
    }

    /**
     * Environment variables (docs/contract.md names) that point the service at these servers.
     * Tests start the service with them instead of the process environment.
     */
    public static Map<String, String> serviceEnvironment() {
        Postgres pg = postgres();
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_HOST", pg.host());
        env.put("POSTGRES_PORT", Integer.toString(pg.port()));
        env.put("POSTGRES_DB", pg.database());
        env.put("POSTGRES_USER", pg.user());
        env.put("POSTGRES_PASSWORD", pg.password());
        env.put("POSTGRES_SCHEMA", "public");
        env.put("DRAGONFLY_HOST", "127.0.0.1");
        env.put("DRAGONFLY_PORT", Integer.toString(dragonflyPort()));
        env.put("NATS_URL", natsUrl());
        env.put("PORT", Integer.toString(freePort()));
        return env;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String ping(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("PING\r\n".getBytes());
            byte[] buf = new byte[64];
            int n = s.getInputStream().read(buf);
            return n <= 0 ? "nothing" : new String(buf, 0, n).trim();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void dropDatabase(String adminUrl, String user, String password, String database) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException ignored) {
            // best effort at JVM exit; a leftover test database harms nothing
        }
    }

    /**
     * A nats-server process of our own with JetStream on a private store, so a test can stop and
     * restart it to see how the service behaves while NATS is down. {@link #close()} ends it for
     * good and deletes the store, and so does the JVM's exit, so no run leaves a {@code nats-js-*}
     * folder in the temp directory.
     */
    public static final class NatsServer implements AutoCloseable {
        private final ServerProcess server;
        private final Path storeDir;
        private final int monitorPort;

        private NatsServer(ServerProcess server, Path storeDir, int monitorPort) {
            this.server = server;
            this.storeDir = storeDir;
            this.monitorPort = monitorPort;
        }

        /** A server whose log is kept in its store, so it goes with it on {@link #close()}. */
        public static NatsServer start() {
            return start(null);
        }

        /** @param log where the server's output goes (kept after close); null keeps it in the store */
        public static NatsServer start(Path log) {
            try {
                Path storeDir = Files.createTempDirectory("nats-js-");
                NatsServer nats = start(storeDir, log == null ? storeDir.resolve("nats-server.log") : log);
                // Tests that end with stop() (it keeps the store for a restart) leave nothing behind either.
                Runtime.getRuntime().addShutdownHook(new Thread(nats::close));
                return nats;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A server whose JetStream store and log are in {@code storeDir}, kept across restarts and
         * after the run (the fault suite's run folder): stop it with {@link #kill()} or {@link #stop()}.
         */
        public static NatsServer inStore(Path storeDir) {
            return start(storeDir, storeDir.resolve("nats-server.log"));
        }

        private static NatsServer start(Path storeDir, Path log) {
            int port = freePort();
            int monitorPort = freePort();
            NatsServer nats = new NatsServer(new ServerProcess("nats-server", port,
                    List.of(natsServerBinary(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                            "-m", Integer.toString(monitorPort), "-js", "-sd", storeDir.toString()),
                    log.toFile()), storeDir, monitorPort);
            nats.restart();
            return nats;
        }

        public String url() {
            return "nats://127.0.0.1:" + server.port();
        }

        /** The HTTP monitoring endpoint (/connz, /jsz, ...). */
        public String monitorUrl() {
            return "http://127.0.0.1:" + monitorPort;
        }

        /** The JetStream store; it exists until {@link #close()}. */
        public Path storeDir() {
            return storeDir;
        }

        public synchronized void restart() {
            server.start();
        }

        /** Takes the server away; {@link #restart()} brings it back with its streams. */
        public synchronized void stop() {
            server.stop(false);
        }

        /** Takes the server away with SIGKILL: whatever it had not written to its store yet is lost. */
        public synchronized void kill() {
            server.stop(true);
        }

        /** Stops the server for good and deletes its store. */
        @Override
        public synchronized void close() {
            stop();
            ServerProcess.deleteRecursively(storeDir);
        }

        private static String natsServerBinary() {
            for (String candidate : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            return "nats-server";
        }
    }
}
