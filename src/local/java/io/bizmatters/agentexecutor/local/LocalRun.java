package io.bizmatters.agentexecutor.local;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.ExecutorApplication;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.jobs.Migrations;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The service on a fresh machine (scripts/run-local.sh): embedded PostgreSQL, an embedded
 * Redis-compatible server and a nats-server with JetStream, all on free ports and throw-away data,
 * then the real service on PORT (8080). Model keys and base URLs are taken from the environment;
 * with no key at all, agents run on the offline model (docs/agent-engine.md).
 * It is compiled with the test code (profile {@code local}), so it reuses the tests' NATS launcher.
 */
public final class LocalRun {
    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        RedisServer redis = new RedisServer(TestServers.freePort());
        redis.start();
        TestServers.NatsServer nats = TestServers.NatsServer.start();

        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("POSTGRES_HOST", "127.0.0.1");
        environment.put("POSTGRES_PORT", Integer.toString(postgres.getPort()));
        environment.put("POSTGRES_DB", "postgres");
        environment.put("POSTGRES_USER", "postgres");
        environment.put("POSTGRES_PASSWORD", "");
        environment.put("POSTGRES_SCHEMA", "agent_executor");
        environment.put("DRAGONFLY_HOST", "127.0.0.1");
        environment.put("DRAGONFLY_PORT", Integer.toString(redis.ports().getFirst()));
        environment.put("DRAGONFLY_PASSWORD", "");
        environment.put("NATS_URL", nats.url());
        environment.putIfAbsent("PORT", "8080");
        // Without a key the sample still runs, on the clearly labelled offline model; a key always wins.
        environment.putIfAbsent("AGENT_OFFLINE_MODEL", "auto");

        Migrations.apply(PostgresSettings.fromEnvironment(environment));
        ExecutorApplication service = new ExecutorApplication(environment, EngineAssembly::create);
        service.start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.stop();
            nats.stop();
            stopQuietly(redis);
            closeQuietly(postgres);
            stopped.countDown();
        }));
        printHowToSubmit(environment);
        stopped.await();
    }

    private static void printHowToSubmit(Map<String, String> environment) {
        String port = environment.get("PORT");
        System.out.println("""

                agent-executor is up on http://localhost:%1$s  (Ctrl-C stops it and the embedded servers)
                  PostgreSQL 127.0.0.1:%2$s  Redis-compatible 127.0.0.1:%3$s  NATS %4$s

                Watch jobs live in the job console:
                  http://localhost:%1$s/console/

                Submit the sample job over HTTP:
                  curl -sS -X POST http://localhost:%1$s/ -H 'Content-Type: application/cloudevents+json' --data @examples/sample-job.json

                Submit it over NATS JetStream (prints its events, then the result event and how it ended):
                  NATS_URL=%4$s AGENT_EXECUTOR_URL=http://localhost:%1$s scripts/submit-nats.sh examples/sample-job.json

                Follow a job's events from a program (Server-Sent Events; replays, then follows live):
                  curl -sN http://localhost:%1$s/jobs/<job_id>/events

                A job that waits for approval before its specialist runs (docs/approvals.md):
                  NATS_URL=%4$s scripts/submit-nats.sh examples/approval-job.json

                Probes: curl -sS http://localhost:%1$s/ready ; curl -sS http://localhost:%1$s/metrics
                """.formatted(port, environment.get("POSTGRES_PORT"), environment.get("DRAGONFLY_PORT"), environment.get("NATS_URL")));
    }

    private static void stopQuietly(RedisServer redis) {
        try {
            redis.stop();
        } catch (IOException e) {
            System.err.println("embedded Redis did not stop cleanly: " + e.getMessage());
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
