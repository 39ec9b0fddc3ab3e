package io.bizmatters.agentexecutor.testsupport;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.nats.client.Connection;
import io.nats.client.Nats;

import java.util.Map;

/**
 * The whole service with the real engine (EngineAssembly) on a private NATS server, so no message
 * another test class left reaches it; its models served by a scripted OpenAI-compatible server;
 * with a watcher of agent.status.* and a client connection. One per test class.
 */
public record ScriptedService(TestServers.NatsServer natsServer, OpenAiTestServer model, RunningService service,
                              StatusEvents status, Connection nats) implements AutoCloseable {

    public static ScriptedService start() throws Exception {
        TestServers.NatsServer natsServer = TestServers.NatsServer.start();
        OpenAiTestServer model = new OpenAiTestServer();
        RunningService service = RunningService.start(Map.of("NATS_URL", natsServer.url(),
                "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create);
        return new ScriptedService(natsServer, model, service, StatusEvents.listen(natsServer.url()), Nats.connect(natsServer.url()));
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
