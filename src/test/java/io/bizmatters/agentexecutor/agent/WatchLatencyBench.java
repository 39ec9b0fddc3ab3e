package io.bizmatters.agentexecutor.agent;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.HeadlessChromium;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.SseClient;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * How long a model token takes to reach a watcher (scripts/bench/watch-latency.sh): the scripted
 * model sends the first word of the job's final answer and holds the rest; we time until an SSE
 * client has the token event, and until the console in headless Chromium shows the word (a
 * MutationObserver in the page notes the time; browser and bench share the machine's clock).
 * Argument: samples (default 20). Prints median, p90 and max for each.
 */
public final class WatchLatencyBench {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String OBSERVER = """
            window.__seen = 0;
            new MutationObserver(() => {
              if (!window.__seen && [...document.querySelectorAll('.msg.assistant.streaming')].some(m => m.textContent.startsWith('Done'))) {
                window.__seen = Date.now();
              }
            }).observe(document.body, {subtree: true, childList: true, characterData: true});""";

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Double> sse = new ArrayList<>();
        List<Double> screen = new ArrayList<>();
        try (OpenAiTestServer model = new OpenAiTestServer();
             RunningService service = RunningService.start(Map.of("OPENAI_API_KEY", "test-key",
                     "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create)) {
            ChromeDriver browser = HeadlessChromium.start();
            HttpClient http = HttpClient.newHttpClient();
            try {
                for (int i = 0; i < samples; i++) {
                    String jobId = SampleJobs.newJobId();
                    browser.get(service.uri("/console/#/jobs/" + jobId).toString());
                    browser.executeScript(OBSERVER);
                    SseClient watcher = SseClient.connect(http, service.uri("/jobs/" + jobId + "/events?wait=60"));
                    model.enqueue(MultiAgentJob.script());
                    OpenAiTestServer.HeldCall held = model.holdAfterFirstChunk(model.calls() + MultiAgentJob.MODEL_CALLS);
                    service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json", "Prefer", "respond-async");
                    held.awaitArrival();
                    long sentNanos = System.nanoTime();
                    long sentMillis = System.currentTimeMillis();
                    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> watcher.events().stream()
                            .anyMatch(WatchLatencyBench::isHeldToken));
                    sse.add((watcher.events().stream().filter(WatchLatencyBench::isHeldToken).findFirst().orElseThrow()
                            .receivedNanos() - sentNanos) / 1e6);
                    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                            .until(() -> ((Number) browser.executeScript("return window.__seen;")).longValue() > 0);
                    screen.add((double) (((Number) browser.executeScript("return window.__seen;")).longValue() - sentMillis));
                    held.release();
                    watcher.awaitEnd(PATIENCE);
                }
            } finally {
                browser.quit();
            }
        }
        report("model token -> SSE client", sse);
        report("model token -> console screen", screen);
    }

    private static boolean isHeldToken(SseClient.Event event) {
        return event.type().equals("on_llm_stream") && event.data().contains("\"content\":\"Done");
    }

    private static void report(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%s: samples=%d median=%.1f ms p90=%.1f ms max=%.1f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.getLast());
    }
}
