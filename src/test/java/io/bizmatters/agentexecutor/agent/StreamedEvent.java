package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.streaming.ChannelSubscriber;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** One message a watcher of {@code langgraph:stream:{job_id}} received: {@code {"event_type", "data"}}. */
record StreamedEvent(String type, JsonNode data) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<StreamedEvent> of(ChannelSubscriber stream) {
        return stream.messages().stream().map(StreamedEvent::parse).toList();
    }

    /** Waits until the stream has carried its terminal event ({@code end} or {@code error}), then returns it all. */
    static List<StreamedEvent> untilTerminal(ChannelSubscriber stream) {
        await().atMost(Duration.ofSeconds(30)).until(() -> of(stream).stream().anyMatch(StreamedEvent::terminal));
        return of(stream);
    }

    private static StreamedEvent parse(String message) {
        try {
            JsonNode event = JSON.readTree(message);
            return new StreamedEvent(event.path("event_type").asText(), event.path("data"));
        } catch (JsonProcessingException e) {
            throw new AssertionError("a stream message is not JSON: " + message, e);
        }
    }

    boolean terminal() {
        return type.equals("end") || type.equals("error");
    }

    boolean is(String eventType) {
        return type.equals(eventType);
    }

    String node() {
        return data.path("node").asText();
    }

    String toolCallId() {
        return data.path("tool_call_id").asText();
    }
}
