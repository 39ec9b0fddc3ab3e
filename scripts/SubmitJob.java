import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.PublishAck;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Publishes a job event file to agent.execute.sample with a fresh job_id (or JOB_ID when set),
 * prints the job's events as they come (GET /jobs/{id}/events on AGENT_EXECUTOR_URL, default
 * http://localhost:8080), then its status event from agent.status.* (completed, failed, or
 * interrupted when it waits for decisions), and one summary line saying how the job ended. A
 * cancel event (docs/job-control.md) is only published. With --resume JOB_ID DECISIONS it
 * publishes a dev.my-platform.agent.resume event instead (DECISIONS: {"decisions": [...]} as JSON
 * text, docs/approvals.md). Run by scripts/submit-nats.sh with the service's own jars.
 */
public class SubmitJob {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger EVENTS = new AtomicInteger();
    private static String speaking;

    public static void main(String[] args) throws Exception {
        boolean resume = args.length == 3 && args[0].equals("--resume");
        String jobId;
        ObjectNode event;
        if (resume) {
            jobId = args[1];
            event = resumeEvent(jobId, (ObjectNode) JSON.readTree(args[2]));
        } else {
            event = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of(args[0])));
            ObjectNode job = event.has("data") ? (ObjectNode) event.get("data") : event;
            jobId = System.getenv().getOrDefault("JOB_ID", "sample-" + UUID.randomUUID().toString().substring(0, 8));
            job.put("job_id", jobId);
            if (event.has("id")) {
                event.put("id", UUID.randomUUID().toString());
            }
        }
        String url = System.getenv().getOrDefault("NATS_URL", "nats://127.0.0.1:4222");
        String service = System.getenv().getOrDefault("AGENT_EXECUTOR_URL", "http://localhost:8080");
        try (Connection nats = Nats.connect(url)) {
            Subscription results = nats.subscribe("agent.status.*");
            nats.flush(Duration.ofSeconds(5));
            Instant start = Instant.now();
            PublishAck ack = nats.jetStream().publish("agent.execute.sample", JSON.writeValueAsBytes(event));
            System.out.println("published " + (resume ? "a resume" : event.path("type").asText("job")) + " for " + jobId
                    + " to " + ack.getStream() + " seq " + ack.getSeqno());
            if ("dev.my-platform.agent.cancel".equals(event.path("type").asText())) {
                return;
            }
            Thread events = Thread.ofVirtual().start(() -> printEvents(service, jobId));
            Instant deadline = start.plusSeconds(300);
            while (Instant.now().isBefore(deadline)) {
                Message message = results.nextMessage(Duration.ofSeconds(1));
                if (message != null && jobId.equals(JSON.readTree(message.getData()).path("subject").asText())) {
                    // A parked job's event stream stays open until the job ends: give it a moment, not forever.
                    events.join(Duration.ofSeconds(5));
                    endLine();
                    System.out.println(message.getSubject() + ": " + new String(message.getData(), StandardCharsets.UTF_8));
                    JsonNode data = JSON.readTree(message.getData()).path("data");
                    boolean failed = message.getSubject().endsWith("failed");
                    if (message.getSubject().endsWith("interrupted")) {
                        printResumeHint(jobId, data.path("interrupts"));
                    }
                    System.out.println(summary(jobId, message.getSubject(), data, Duration.between(start, Instant.now())));
                    System.exit(failed ? 1 : 0);
                }
            }
            endLine();
            System.out.println("RESULT: job " + jobId + " has no status event within 300 s (is the service running?"
                    + " a refused resume is only logged and streamed; see docs/approvals.md)");
            System.exit(1);
        }
    }

    private static ObjectNode resumeEvent(String jobId, ObjectNode decisions) {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("type", "dev.my-platform.agent.resume")
                .put("source", "scripts/submit-nats.sh").put("id", UUID.randomUUID().toString())
                .put("datacontenttype", "application/json");
        decisions.put("job_id", jobId);
        event.set("data", decisions);
        return event;
    }

    /** The command that approves every waiting call, for the reader to edit. */
    private static void printResumeHint(String jobId, JsonNode interrupts) throws Exception {
        ObjectNode decisions = JSON.createObjectNode();
        ArrayNode list = decisions.putArray("decisions");
        interrupts.forEach(i -> list.addObject().put("tool_call_id", i.path("tool_call_id").asText()).put("type", "approve"));
        System.out.println("job " + jobId + " waits for decisions; to approve everything:");
        System.out.println("  scripts/submit-nats.sh --resume " + jobId + " '" + JSON.writeValueAsString(decisions) + "'");
    }

    private static String summary(String jobId, String subject, JsonNode data, Duration took) {
        String after = String.format(" in %.1f s", took.toMillis() / 1000.0) + (EVENTS.get() > 0 ? " after " + EVENTS.get() + " events" : "");
        if (subject.endsWith("completed")) {
            return "RESULT: job " + jobId + " COMPLETED" + after + ": " + shorten(data.at("/result/output").asText(), 160);
        }
        if (subject.endsWith("interrupted")) {
            return "RESULT: job " + jobId + " INTERRUPTED" + after + ": waits for decisions on "
                    + data.path("interrupts").size() + " tool calls";
        }
        return "RESULT: job " + jobId + " FAILED (" + data.at("/error/type").asText() + ")" + after + ": "
                + shorten(data.at("/error/message").asText(), 300);
    }

    /** One line per event, a model's tokens run together on the line of the agent speaking. */
    private static void printEvents(String service, String jobId) {
        URI uri = URI.create(service + "/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8) + "/events?wait=60");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        String token = System.getenv("API_TOKEN");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        try {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                System.out.println("(no events from " + uri + ": HTTP " + response.statusCode() + ")");
                return;
            }
            response.body().filter(line -> line.startsWith("data: ")).forEach(line -> print(line.substring(6)));
        } catch (Exception e) {
            System.out.println("(no events from " + uri + ": " + e.getMessage() + "; set AGENT_EXECUTOR_URL to the service)");
        }
    }

    private static synchronized void print(String json) {
        try {
            JsonNode event = JSON.readTree(json);
            EVENTS.incrementAndGet();
            String agent = event.at("/agent/name").asText("job");
            JsonNode data = event.path("data");
            String type = event.path("event_type").asText();
            if (type.equals("on_llm_stream")) {
                String text = data.path("content").asText("");
                if (!text.isEmpty()) {
                    if (!agent.equals(speaking)) {
                        endLine();
                        System.out.print(String.format("%5d %-12s says: ", event.path("seq").asLong(), agent));
                        speaking = agent;
                    }
                    System.out.print(text.replace('\n', ' '));
                }
                return;
            }
            endLine();
            String line = switch (type) {
                case "on_tool_start" -> "-> " + data.path("name").asText() + " " + shorten(data.path("input").toString(), 100);
                case "on_tool_end" -> "<- " + data.path("name").asText() + ": " + shorten(data.path("output").asText(), 100);
                case "on_state_update" -> "state: " + data.path("messages").size() + " messages, " + data.path("files").size()
                        + " files, " + data.path("todos").size() + " todos";
                case "on_retry" -> "retrying: " + data.path("reason").asText() + " (delivery " + data.path("delivery_count").asText()
                        + ", next attempt in " + data.path("next_attempt_in_seconds").asText("?") + " s)";
                case "snapshot" -> "snapshot of the last checkpoint (events " + data.at("/replaces/from").asText() + "-"
                        + data.at("/replaces/to").asText() + " are no longer kept)";
                case "interrupt" -> "interrupt: waits for decisions on " + data.path("interrupts").size() + " tool calls";
                case "decision" -> "decision: " + data.path("type").asText() + " " + data.path("name").asText()
                        + " (" + data.path("tool_call_id").asText() + ")";
                case "resume_rejected" -> "resume rejected: " + data.path("detail").asText() + " (" + data.path("field").asText() + ")";
                case "end" -> "end: " + data.path("status").asText();
                case "error" -> "error: " + data.path("status").asText() + " (" + data.path("type").asText() + ") "
                        + data.path("error").asText();
                default -> type;
            };
            System.out.println(String.format("%5d %-12s %s", event.path("seq").asLong(), agent, line));
        } catch (Exception e) {
            System.out.println("(unreadable event: " + shorten(json, 80) + ")");
        }
    }

    private static synchronized void endLine() {
        if (speaking != null) {
            System.out.println();
            speaking = null;
        }
    }

    private static String shorten(String text, int max) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
    }
}
