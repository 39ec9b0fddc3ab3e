package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/** Listens on {@code agent.status.*} and hands out the result events a test waits for. */
public final class StatusEvents implements AutoCloseable {
    /** One result event as it arrived: its subject and its JSON. */
    public record Received(String subject, JsonNode event) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection connection;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private StatusEvents(Connection connection) {
        this.connection = connection;
        Dispatcher dispatcher = connection.createDispatcher(message -> {
            try {
                received.add(new Received(message.getSubject(), JSON.readTree(message.getData())));
            } catch (IOException e) {
                received.add(new Received(message.getSubject(), JSON.getNodeFactory().textNode(new String(message.getData()))));
            }
        });
        dispatcher.subscribe("agent.status.*");
    }

    public static StatusEvents listen(String natsUrl) {
        try {
            Connection connection = Nats.connect(natsUrl);
            StatusEvents events = new StatusEvents(connection);
            connection.flush(Duration.ofSeconds(5));
            return events;
        } catch (Exception e) {
            throw new IllegalStateException("cannot subscribe to agent.status.* at " + natsUrl, e);
        }
    }

    /** Waits for the first event whose subject attribute is {@code jobId}. */
    public Received awaitFor(String jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !forJob(jobId).isEmpty());
        return forJob(jobId).getFirst();
    }

    public List<Received> forJob(String jobId) {
        return received.stream().filter(r -> jobId.equals(r.event().path("subject").asText())).toList();
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
