import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.PublishAck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Publishes a job event file to agent.execute.sample with a fresh job_id (or JOB_ID when set), then
 * prints its next status event from agent.status.* (completed, failed, or interrupted when it waits
 * for decisions). A cancel event (docs/job-control.md) is only published. With --resume JOB_ID
 * DECISIONS it publishes a dev.my-platform.agent.resume event instead (DECISIONS: {"decisions": [...]}
 * as JSON text, docs/approvals.md). Run by scripts/submit-nats.sh with the service's own jars.
 */
public class SubmitJob {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        try (Connection nats = Nats.connect(url)) {
            Subscription results = nats.subscribe("agent.status.*");
            nats.flush(Duration.ofSeconds(5));
            PublishAck ack = nats.jetStream().publish("agent.execute.sample", JSON.writeValueAsBytes(event));
            System.out.println("published " + (resume ? "a resume" : event.path("type").asText("job")) + " for " + jobId
                    + " to " + ack.getStream() + " seq " + ack.getSeqno());
            if ("dev.my-platform.agent.cancel".equals(event.path("type").asText())) {
                return;
            }
            Instant deadline = Instant.now().plusSeconds(120);
            while (Instant.now().isBefore(deadline)) {
                var message = results.nextMessage(Duration.ofSeconds(1));
                if (message != null && jobId.equals(JSON.readTree(message.getData()).path("subject").asText())) {
                    System.out.println(message.getSubject() + ": " + new String(message.getData()));
                    if (message.getSubject().endsWith("interrupted")) {
                        printResumeHint(jobId, JSON.readTree(message.getData()).at("/data/interrupts"));
                    }
                    System.exit(message.getSubject().endsWith("failed") ? 1 : 0);
                }
            }
            System.err.println("no status event for " + jobId + " within 120 s (a refused resume is only logged; see docs/approvals.md)");
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
}
