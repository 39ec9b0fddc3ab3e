package io.bizmatters.agentexecutor.faults;

import io.bizmatters.agentexecutor.testsupport.RedisServerProcess;
import io.bizmatters.agentexecutor.testsupport.TestServers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one fault run needs, private to it: a nats-server with JetStream and its monitoring
 * port, a PostgreSQL cluster, a redis-server standing in for Dragonfly, the slow model, and two
 * service instances as OS processes. Nothing here touches the machine's shared servers.
 */
final class FaultRig implements AutoCloseable {
    final Path runFolder;
    final TestServers.NatsServer nats;
    final PrivatePostgres postgres;
    final RedisServerProcess dragonfly;
    final FaultModel model;
    final ServiceInstance a;
    final ServiceInstance b;
    /** The suite's connection for the fault schedule and the verdict; the submitter and the pull watch have their own. */
    final SuiteConnection control;
    private final Map<Long, PullSilenceWatch.Live> live = new ConcurrentHashMap<>();
    private final Map<Long, String> everStarted = new ConcurrentHashMap<>();

    private FaultRig(Path runFolder, TestServers.NatsServer nats, PrivatePostgres postgres, RedisServerProcess dragonfly,
                     FaultModel model, Map<String, String> environment, SuiteConnection control) {
        this.runFolder = runFolder;
        this.nats = nats;
        this.postgres = postgres;
        this.dragonfly = dragonfly;
        this.model = model;
        this.control = control;
        this.a = new ServiceInstance("a", environment, runFolder);
        this.b = new ServiceInstance("b", environment, runFolder);
    }

    static FaultRig start(FaultSuiteSettings settings, Path runFolder) throws Exception {
        Files.createDirectories(runFolder);
        TestServers.NatsServer nats = TestServers.NatsServer.inStore(Files.createDirectories(runFolder.resolve("nats")));
        Runtime.getRuntime().addShutdownHook(new Thread(nats::kill));
        RedisServerProcess dragonfly = RedisServerProcess.onFreePort().start();
        Runtime.getRuntime().addShutdownHook(new Thread(dragonfly::kill));
        PrivatePostgres postgres;
        try {
            postgres = PrivatePostgres.start(runFolder);
        } catch (Exception e) {
            dragonfly.kill();
            nats.kill();
            throw e;
        }
        FaultModel model = new FaultModel(settings.modelDelay());
        Map<String, String> environment = new HashMap<>();
        environment.put("POSTGRES_HOST", "127.0.0.1");
        environment.put("POSTGRES_PORT", Integer.toString(postgres.port()));
        environment.put("POSTGRES_DB", PrivatePostgres.DATABASE);
        environment.put("POSTGRES_USER", PrivatePostgres.USER);
        environment.put("POSTGRES_PASSWORD", PrivatePostgres.PASSWORD);
        environment.put("POSTGRES_SCHEMA", "public");
        environment.put("DRAGONFLY_HOST", "127.0.0.1");
        environment.put("DRAGONFLY_PORT", Integer.toString(dragonfly.port()));
        environment.put("NATS_URL", nats.url());
        environment.put("OPENAI_BASE_URL", model.baseUrl());
        environment.put("MAX_CONCURRENT_JOBS", Integer.toString(settings.slots()));
        environment.put("LOG_LEVEL", "INFO");
        try {
            ServiceInstance.migrate(Map.copyOf(environment), runFolder);
            return new FaultRig(runFolder, nats, postgres, dragonfly, model, Map.copyOf(environment),
                    new SuiteConnection(nats.url(), "control"));
        } catch (Exception e) {
            model.close();
            dragonfly.kill();
            nats.kill();
            postgres.close();
            throw e;
        }
    }

    /** A further connection of the suite's own to the rig's NATS. */
    SuiteConnection connection(String name) throws Exception {
        return new SuiteConnection(nats.url(), name);
    }

    /** Starts a new life of {@code instance}; from its /ready on, the pull watch counts its silences. */
    void startInstance(ServiceInstance instance) {
        instance.start();
        live.put(instance.pid(), new PullSilenceWatch.Live(instance.name(), System.currentTimeMillis()));
        everStarted.put(instance.pid(), instance.name());
    }

    /**
     * SIGKILL to the instance; the fault spans from the signal to the moment the process was reaped.
     * A request the process sent just before it died can reach the model server's handler inside
     * that span, or even after it under load, so the killed life's calls are judged by its name.
     */
    FaultEvent killInstance(ServiceInstance instance) {
        live.remove(instance.pid());
        String name = instance.name();
        long killedAt = System.currentTimeMillis();
        instance.kill();
        return new FaultEvent(FaultEvent.Kind.INSTANCE_KILL, name, killedAt, System.currentTimeMillis());
    }

    /** Every instance process of the run, running or killed, by process id. */
    Map<Long, String> everStarted() {
        return Map.copyOf(everStarted);
    }

    /** The instances running now, by process id. */
    Map<Long, PullSilenceWatch.Live> liveInstances() {
        return Map.copyOf(live);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        a.stop();
        b.stop();
        control.close();
        model.close();
        dragonfly.close();
        nats.stop();
        postgres.close();
    }
}
