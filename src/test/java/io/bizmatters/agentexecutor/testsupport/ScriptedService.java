package io.bizmatters.agentexecutor.testsupport;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.nats.client.Connection;
import io.nats.client.Nats;

import java.util.HashMap;
import java.util.Map;

/**
 * The whole service with its real engine on a private NATS server, its models served by one
 * scripted OpenAI-compatible server, with a listener on the result events and a NATS client. One
 * per test class: start it in {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
public final class ScriptedService implements AutoCloseable {
    private final TestServers.NatsServer natsServer;
    private final OpenAiTestServer model;
    private final RunningService service;
    private final StatusEvents status;
    private final Connection nats;
    private final Map<String, String> environment;

    private ScriptedService(TestServers.NatsServer natsServer, OpenAiTestServer model, RunningService service,
                            StatusEvents status, Connection nats, Map<String, String> environment) {
        this.environment = environment;
        this.natsServer = natsServer;
        this.model = model;
        this.service = service;
        this.status = status;
        this.nats = nats;
    }

    public static ScriptedService start() throws Exception {
        return start(Map.of());
    }

    /** @param overrides settings beyond the servers' own, e.g. default limits */
    public static ScriptedService start(Map<String, String> overrides) throws Exception {
        TestServers.NatsServer natsServer = TestServers.NatsServer.start();
        OpenAiTestServer model = new OpenAiTestServer();
        // A small pool: the shared test PostgreSQL serves many checkouts at once, and jobs hold a connection per statement.
        Map<String, String> environment = new HashMap<>(Map.of("POSTGRES_POOL_SIZE", "5"));
        environment.putAll(overrides);
        environment.putAll(Map.of("NATS_URL", natsServer.url(), "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()));
        RunningService service = RunningService.start(environment, EngineAssembly::create);
        return new ScriptedService(natsServer, model, service, StatusEvents.listen(natsServer.url()), Nats.connect(natsServer.url()),
                environment);
    }

    public TestServers.NatsServer natsServer() {
        return natsServer;
    }

    public OpenAiTestServer model() {
        return model;
    }

    public RunningService service() {
        return service;
    }

    public StatusEvents status() {
        return status;
    }

    /** A client of the service's NATS server. */
    public Connection nats() {
        return nats;
    }

    /** A second pod of the same service: same database, NATS and model, a port of its own. Close it yourself. */
    public RunningService anotherPod() {
        Map<String, String> pod = new HashMap<>(environment);
        pod.put("PORT", Integer.toString(TestServers.freePort()));
        return RunningService.start(pod, EngineAssembly::create);
    }

    @Override
    public void close() throws InterruptedException {
        nats.close();
        status.close();
        service.close();
        model.close();
        natsServer.close();
    }
}
