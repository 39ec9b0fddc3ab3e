import com.fasterxml.jackson.databind.ObjectMapper;
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
 * prints its result event from agent.status.*. A cancel event (docs/job-control.md) is only
 * published. Run by scripts/submit-nats.sh with the service's own jars.
 */
public class SubmitJob {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode event = (ObjectNode) json.readTree(Files.readAllBytes(Path.of(args[0])));
        ObjectNode job = event.has("data") ? (ObjectNode) event.get("data") : event;
        String jobId = System.getenv().getOrDefault("JOB_ID", "sample-" + UUID.randomUUID().toString().substring(0, 8));
        job.put("job_id", jobId);
        if (event.has("id")) {
            event.put("id", UUID.randomUUID().toString());
        }
        String url = System.getenv().getOrDefault("NATS_URL", "nats://127.0.0.1:4222");
        try (Connection nats = Nats.connect(url)) {
            Subscription results = nats.subscribe("agent.status.*");
            nats.flush(Duration.ofSeconds(5));
            PublishAck ack = nats.jetStream().publish("agent.execute.sample", json.writeValueAsBytes(event));
            System.out.println("published " + event.path("type").asText("job") + " for " + jobId + " to " + ack.getStream()
                    + " seq " + ack.getSeqno());
            if ("dev.my-platform.agent.cancel".equals(event.path("type").asText())) {
                return;
            }
            Instant deadline = Instant.now().plusSeconds(120);
            while (Instant.now().isBefore(deadline)) {
                var message = results.nextMessage(Duration.ofSeconds(1));
                if (message != null && jobId.equals(json.readTree(message.getData()).path("subject").asText())) {
                    System.out.println(message.getSubject() + ": " + new String(message.getData()));
                    System.exit(message.getSubject().endsWith("completed") ? 0 : 1);
                }
            }
            System.err.println("no result event for " + jobId + " within 120 s");
            System.exit(1);
        }
    }
}
