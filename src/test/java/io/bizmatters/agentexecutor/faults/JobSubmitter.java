package io.bizmatters.agentexecutor.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.PublishOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Submits the suite's jobs to {@code agent.execute.fault} at a steady rate, whatever NATS is doing:
 * a publish that gets no ack is sent again with the same {@code Nats-Msg-Id} (the job id), so the
 * stream's duplicate window keeps one copy and every job is submitted exactly once.
 */
final class JobSubmitter {
    /** One job: its id and the text whose words it counts. */
    record Job(String id, String text, int words) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"apple", "river", "stone", "cloud", "lamp", "forest", "signal", "harbor", "quiet"};
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(120);

    private final SuiteConnection nats;
    private final List<Job> jobs = new ArrayList<>();
    private final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
    private volatile String failure;

    JobSubmitter(SuiteConnection nats, int count) {
        this.nats = nats;
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            int words = 3 + i % 9;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[(i + w) % WORDS.length]);
            }
            jobs.add(new Job("fault-" + run + "-" + i, text.toString(), words));
        }
    }

    List<Job> jobs() {
        return jobs;
    }

    Map<String, Long> submittedAt() {
        return submittedAt;
    }

    /** Why a job could not be submitted, or null. */
    String failure() {
        return failure;
    }

    /** Submits every job, evenly over {@code period}, on a thread of its own. */
    Thread startSubmitting(Duration period) {
        return Thread.ofPlatform().name("fault-suite-submitter").daemon().start(() -> submitAll(period));
    }

    private void submitAll(Duration period) {
        long start = System.nanoTime();
        long interval = period.toNanos() / Math.max(1, jobs.size());
        for (int i = 0; i < jobs.size() && failure == null; i++) {
            long due = start + i * interval;
            sleepNanos(due - System.nanoTime());
            submit(jobs.get(i));
        }
    }

    private void submit(Job job) {
        byte[] event = cloudEvent(job).getBytes(StandardCharsets.UTF_8);
        PublishOptions options = PublishOptions.builder().messageId(job.id()).streamTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        while (true) {
            try {
                nats.get().jetStream().publish("agent.execute.fault", event, options);
                nats.succeeded();
                submittedAt.put(job.id(), System.currentTimeMillis());
                return;
            } catch (Exception e) {
                nats.failed();
                if (System.nanoTime() > deadline) {
                    failure = "job " + job.id() + " could not be submitted in " + GIVE_UP_AFTER + ": " + e;
                    return;
                }
                sleepNanos(Duration.ofMillis(250).toNanos());
            }
        }
    }

    private static String cloudEvent(Job job) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0").put("type", "dev.my-platform.agent.execute")
                .put("source", "nats://agent.execute.fault").put("id", UUID.randomUUID().toString())
                .put("datacontenttype", "application/json");
        ObjectNode data = event.putObject("data");
        data.put("trace_id", "trace-" + job.id()).put("job_id", job.id());
        ObjectNode config = data.putObject("agent_definition").putArray("nodes").addObject()
                .put("id", "orchestrator").put("type", "Orchestrator").putObject("config");
        config.put("name", "Counter").put("system_prompt", "Count words with the word_count tool.");
        config.putObject("model").put("provider", "openai").put("model", "fault-model");
        config.putArray("tools").add("word_count");
        data.putObject("input_payload").putArray("messages").addObject()
                .put("role", "user").put("content", FaultModel.userMessage(job.id(), job.text()));
        return event.toString();
    }

    private static void sleepNanos(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
