package io.bizmatters.agentexecutor.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result events as JetStream stored them in {@code AGENT_STATUS}: read back message by message
 * (not from a live subscription, which misses what is published while the suite's own connection
 * reconnects), each with the time the server stored it.
 */
final class ResultLog {
    static final String STREAM = "AGENT_STATUS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NO_MESSAGE = 10037;

    /** One result event: its job (the CloudEvent subject), subject, output or error, publisher and time. */
    record Result(String jobId, String subject, String output, String source, long storedMillis) {
        boolean completed() {
            return subject.endsWith(".completed");
        }
    }

    private final SuiteConnection nats;
    private final List<Result> results = new ArrayList<>();
    private long nextSequence = 1;

    ResultLog(SuiteConnection nats) {
        this.nats = nats;
    }

    /** Reads what was stored since the last call; fails while NATS is away. */
    synchronized List<Result> refresh() throws IOException, JetStreamApiException {
        try {
            read(nats.get().jetStreamManagement());
            nats.succeeded();
        } catch (IOException | JetStreamApiException e) {
            nats.failed();
            throw e;
        }
        return List.copyOf(results);
    }

    private void read(JetStreamManagement management) throws IOException, JetStreamApiException {
        long last = management.getStreamInfo(STREAM).getStreamState().getLastSequence();
        for (; nextSequence <= last; nextSequence++) {
            try {
                results.add(parse(management.getMessage(STREAM, nextSequence)));
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NO_MESSAGE) {
                    throw e;
                }
            }
        }
    }

    synchronized Map<String, List<Result>> byJob() {
        return results.stream().collect(Collectors.groupingBy(Result::jobId));
    }

    private static Result parse(MessageInfo message) throws IOException {
        JsonNode event = JSON.readTree(message.getData());
        JsonNode data = event.path("data");
        String output = data.has("result") ? data.at("/result/output").asText() : data.at("/error/message").asText();
        return new Result(event.path("subject").asText(), message.getSubject(), output, event.path("source").asText(),
                message.getTime().toInstant().toEpochMilli());
    }
}
