package io.bizmatters.agentexecutor.local;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.ExecutorApplication;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.jobs.Migrations;
import io.bizmatters.agentexecutor.testsupport.RedisServerProcess;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static java.lang.ProcessBuilder.Redirect;

/**
 * The service on a fresh machine (scripts/run-local.sh): embedded PostgreSQL, a Redis-compatible
 * server (the redis-server binary of the embedded-redis artifact) and a nats-server with JetStream,
 * all on free ports and throw-away data, then the real service on PORT (8080). Model keys and base
 * URLs are taken from the environment; with no key at all, agents run on the offline model
 * (docs/agent-engine.md). It is compiled with the test code (profile {@code local}), so it reuses
 * the tests' server launchers.
 *
 * <p>The servers' own output goes to {@link #LOGS}, so the console shows the service and the banner.
 * One shutdown hook stops everything in order: the service drains first, while the servers it
 * needs are still up, then NATS, Redis and PostgreSQL. No temp folder is left behind.
 */
public final class LocalRun {
    /** Relative to the project: run-local.sh runs from there, and {@code mvn clean} clears it. */
    private static final Path LOGS = Path.of("target", "local-run");

    private LocalRun() {
    }

    private static volatile EmbeddedPostgres postgres;
    private static volatile RedisServerProcess redis;
    private static volatile TestServers.NatsServer nats;
    private static volatile ExecutorApplication service;

    public static void main(String[] args) throws Exception {
        Files.createDirectories(LOGS);
        // The servers' start-up chatter, Flyway's for a schema that is always new, and Camel's summaries
        // of routes and settings (the banner says what matters) would bury the banner; warnings still show.
        Configurator.setLevel("io.zonky", Level.WARN);
        Configurator.setLevel("org.flywaydb", Level.WARN);
        Configurator.setLevel("org.apache.camel", Level.WARN);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopInOrder();
            stopped.countDown();
        }, "local-run-stop"));
        try {
            Map<String, String> environment = startServers();
            Migrations.apply(PostgresSettings.fromEnvironment(environment));
            service = new ExecutorApplication(environment, EngineAssembly::create);
            service.start();
            System.out.println(Banner.text(environment, LOGS));
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        stopped.await();
    }

    /** @return the service's environment, pointed at the servers */
    private static Map<String, String> startServers() throws IOException {
        System.out.println("Starting embedded PostgreSQL, a Redis-compatible server and nats-server; their output goes to "
                + LOGS + "/{postgres,redis,nats-server}.log");
        File postgresLog = LOGS.resolve("postgres.log").toFile();
        postgres = EmbeddedPostgres.builder()
                .setRegisterShutdownHook(false)
                .setOutputRedirector(Redirect.appendTo(postgresLog))
                .setErrorRedirector(Redirect.appendTo(postgresLog))
                .start();
        // Extracted into LOGS rather than a fresh temp folder, and run by us: embedded-redis' own
        // launcher registers a JVM hook of its own and lets redis save dump.rdb beside the binary.
        String redisBinary = ExecutableProvider.newJarResourceProvider(LOGS.toFile()).get().getAbsolutePath();
        redis = RedisServerProcess.onFreePort(redisBinary, LOGS.resolve("redis.log").toFile()).start();
        nats = TestServers.NatsServer.start(LOGS.resolve("nats-server.log"));

        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("POSTGRES_HOST", "127.0.0.1");
        environment.put("POSTGRES_PORT", Integer.toString(postgres.getPort()));
        environment.put("POSTGRES_DB", "postgres");
        environment.put("POSTGRES_USER", "postgres");
        environment.put("POSTGRES_PASSWORD", "");
        environment.put("POSTGRES_SCHEMA", "agent_executor");
        environment.put("DRAGONFLY_HOST", "127.0.0.1");
        environment.put("DRAGONFLY_PORT", Integer.toString(redis.port()));
        environment.put("DRAGONFLY_PASSWORD", "");
        environment.put("NATS_URL", nats.url());
        environment.putIfAbsent("PORT", "8080");
        // Without a key the sample still runs, on the clearly labelled offline model; a key always wins.
        environment.putIfAbsent("AGENT_OFFLINE_MODEL", "auto");
        return environment;
    }

    /** The service first, so it drains with the servers still up; then what it used. */
    private static void stopInOrder() {
        System.out.println("Stopping: the service drains its jobs first, then NATS, Redis and PostgreSQL stop.");
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            if (nats != null) {
                nats.close();
            }
            if (redis != null) {
                redis.close();
            }
            if (postgres != null) {
                closeQuietly(postgres);
            }
            System.out.println("Stopped. The servers' output is in " + LOGS + "/.");
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
