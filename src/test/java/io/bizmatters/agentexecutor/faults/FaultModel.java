package io.bizmatters.agentexecutor.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.ChatCall;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer.Reply;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The slow model of the fault suite: every job asks it twice, first for a {@code word_count} tool
 * call, then (with the tool's result) for the final answer, and it takes about {@code delay} each
 * time so jobs overlap. It tells the calling process by its API key and the job by a marker in
 * the user message, and records each call, so the suite can count the calls of every step of every
 * job. It can hold final answers back and let them go together, for a burst of acks.
 */
final class FaultModel implements AutoCloseable {
    /** One model call: which process made it, for which job and step, and when. */
    record ModelCall(String process, String jobId, int step, long startedMillis, long answeredMillis) {
    }

    private static final Pattern JOB_MARKER = Pattern.compile("\\[job:([^\\]]+)] Count the words of: (.*)", Pattern.DOTALL);
    private static final String KEY_PREFIX = "fault-";
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(20);

    private final OpenAiTestServer server = new OpenAiTestServer();
    private final List<ModelCall> calls = new CopyOnWriteArrayList<>();
    private final Duration delay;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch finalAnswersGate;

    FaultModel(Duration delay) {
        this.delay = delay;
        server.answerWith(this::answer);
    }

    static String userMessage(String jobId, String text) {
        return "[job:" + jobId + "] Count the words of: " + text;
    }

    static String finalAnswer(String jobId, String wordCount) {
        return "Job " + jobId + ": the text has " + wordCount + " words.";
    }

    /** The OPENAI_API_KEY a process sends; the model reads the process back from it. */
    static String apiKey(String process) {
        return KEY_PREFIX + process;
    }

    String baseUrl() {
        return server.baseUrl();
    }

    List<ModelCall> calls() {
        return List.copyOf(calls);
    }

    /** Calls of {@code process} the model is working on now. */
    int inFlight(String process) {
        AtomicInteger count = inFlight.get(process);
        return count == null ? 0 : count.get();
    }

    /** From now on final answers wait (at most 20 s) until {@link #releaseFinalAnswers()}. */
    void holdFinalAnswers() {
        held.set(0);
        finalAnswersGate = new CountDownLatch(1);
    }

    /** Waits until {@code count} final answers are held, or {@code atMost}; returns how many are. */
    int awaitHeldFinalAnswers(int count, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (held.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return held.get();
    }

    void releaseFinalAnswers() {
        CountDownLatch gate = finalAnswersGate;
        finalAnswersGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    private Reply answer(ChatCall call) {
        long started = System.currentTimeMillis();
        String process = call.headers().getFirst("Authorization").replaceFirst("(?i)^Bearer " + KEY_PREFIX, "");
        Matcher job = JOB_MARKER.matcher(userText(call.body()));
        if (!job.find()) {
            return null;
        }
        String jobId = job.group(1);
        JsonNode toolResult = lastToolResult(call.body());
        int step = toolResult == null ? 0 : 1;
        AtomicInteger working = inFlight.computeIfAbsent(process, p -> new AtomicInteger());
        working.incrementAndGet();
        try {
            pause();
            if (step == 1) {
                waitAtTheGate();
            }
        } finally {
            working.decrementAndGet();
        }
        Reply reply = step == 0
                ? OpenAiTestServer.toolCalls(OpenAiTestServer.call("count-" + call.callNumber(), "word_count",
                        Map.of("text", job.group(2))))
                : OpenAiTestServer.text(finalAnswer(jobId, toolResult.path("content").asText()));
        calls.add(new ModelCall(process, jobId, step, started, System.currentTimeMillis()));
        return reply;
    }

    /** About {@code delay}, give or take a quarter, so jobs do not move in lockstep. */
    private void pause() {
        long millis = (long) (delay.toMillis() * (0.75 + ThreadLocalRandom.current().nextDouble() / 2));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitAtTheGate() {
        CountDownLatch gate = finalAnswersGate;
        if (gate != null) {
            held.incrementAndGet();
            try {
                gate.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String userText(JsonNode body) {
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                if (!content.isArray()) {
                    return content.asText();
                }
                StringBuilder text = new StringBuilder();
                content.forEach(part -> text.append(part.path("text").asText()));
                return text.toString();
            }
        }
        return "";
    }

    private static JsonNode lastToolResult(JsonNode body) {
        JsonNode last = null;
        for (JsonNode message : body.path("messages")) {
            if ("tool".equals(message.path("role").asText())) {
                last = message;
            }
        }
        return last;
    }

    @Override
    public void close() {
        releaseFinalAnswers();
        server.close();
    }
}
