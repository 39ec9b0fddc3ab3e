package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The result events AGENT_STATUS stored, read back from the stream: what a JetStream reader of
 * results sees. A plain subscription to agent.status.* also sees copies the stream dropped as duplicates.
 */
public final class ResultStream {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultStream() {
    }

    /** Every stored result event whose CloudEvent subject is {@code jobId}, oldest first. */
    public static List<JsonNode> eventsFor(Connection client, String jobId) throws Exception {
        JetStreamManagement management = client.jetStreamManagement();
        long last = management.getStreamInfo("AGENT_STATUS").getStreamState().getLastSequence();
        List<JsonNode> events = new ArrayList<>();
        for (long sequence = 1; sequence <= last; sequence++) {
            MessageInfo message;
            try {
                message = management.getMessage("AGENT_STATUS", sequence);
            } catch (io.nats.client.JetStreamApiException deleted) {
                continue;
            }
            JsonNode event = JSON.readTree(message.getData());
            if (jobId.equals(event.path("subject").asText())) {
                events.add(event);
            }
        }
        return events;
    }
}
