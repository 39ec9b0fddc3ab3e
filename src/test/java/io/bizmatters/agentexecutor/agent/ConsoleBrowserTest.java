package io.bizmatters.agentexecutor.agent;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.streaming.DragonflyJobEventPublisher;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import io.bizmatters.agentexecutor.streaming.JobEvents;
import io.bizmatters.agentexecutor.streaming.StreamSettings;
import io.bizmatters.agentexecutor.testsupport.HeadlessChromium;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job console in a real browser (headless Chromium): a multi-agent job watched from before it
 * arrives to its end, and a parked job behind an access token. The page must show the delegation tree, the answer while it streams, the
 * file the Writer wrote and the final status, under the console's strict CSP without a refusal.
 * Leaves a screenshot in target/console.png (docs/images/console.png is one). Specialists at work at
 * once are fed to the page as a stream the publisher writes, their events interleaved, since the
 * page must place them by their task_call_id, whichever engine emits them.
 */
class ConsoleBrowserTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aMultiAgentJobIsWatchedLiveFromItsDelegationsToItsFinalStatus() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (OpenAiTestServer model = new OpenAiTestServer();
             RunningService service = RunningService.start(Map.of("OPENAI_API_KEY", "test-key",
                     "OPENAI_BASE_URL", model.baseUrl()), EngineAssembly::create)) {
            ChromeDriver browser = HeadlessChromium.start();
            try {
                browser.get(service.uri("/console/#/jobs/" + jobId).toString());
                await().atMost(PATIENCE).until(() -> text(browser, "conversations").contains("Waiting for the job"));

                model.enqueue(MultiAgentJob.script());
                OpenAiTestServer.HeldCall finalAnswer = model.holdAfterFirstChunk(MultiAgentJob.MODEL_CALLS);
                assertThat(service.post(MultiAgentJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json",
                        "Prefer", "respond-async").statusCode()).isEqualTo(202);

                finalAnswer.awaitArrival();
                long tokenSent = System.nanoTime();
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> browser
                        .findElements(By.cssSelector("#conversations > .agent > .entries > .msg.assistant.streaming"))
                        .stream().anyMatch(m -> m.getText().startsWith("Done")));
                System.out.printf("console: a model token reached the screen in %.0f ms%n", (System.nanoTime() - tokenSent) / 1e6);

                String tree = text(browser, "agent-tree");
                assertThat(tree).contains("Lead", "Researcher", "Writer");
                List<WebElement> specialists = browser.findElements(By.cssSelector("#agent-tree > li > ul > li"));
                assertThat(specialists).extracting(WebElement::getText)
                        .satisfiesExactly(r -> assertThat(r).startsWith("Researcher").contains("done"),
                                w -> assertThat(w).startsWith("Writer").contains("done"));
                assertThat(browser.findElements(By.cssSelector("#conversations .nested .agent")))
                        .extracting(a -> a.getDomAttribute("data-agent")).containsExactly("researcher", "writer");
                assertThat(text(browser, "conversations")).contains("word_count", MultiAgentJob.COUNTED_TEXT, "The text has 4 words.");
                assertThat(text(browser, "files")).contains("/haiku.md", "Quick brown fox leaps");
                assertThat(text(browser, "todos")).contains("count the words");
                assertThat(text(browser, "job-status")).isEqualTo("running");

                finalAnswer.release();
                await().atMost(PATIENCE).until(() -> text(browser, "job-status").equals("completed"));
                assertThat(text(browser, "outcome")).isEqualTo("Completed.");
                assertThat(browser.findElements(By.cssSelector("#conversations > .agent > .entries > .msg.assistant")).getLast()
                        .getText()).isEqualTo(MultiAgentJob.FINAL_ANSWER);
                await().atMost(PATIENCE).until(() -> text(browser, "usage").contains("openai:gpt-test"));
                browser.manage().window().setSize(new Dimension(1440, 1700));
                Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, Path.of("target", "console.png"), StandardCopyOption.REPLACE_EXISTING);

                browser.get(service.uri("/console/#/").toString());
                await().atMost(PATIENCE).until(() -> text(browser, "jobs").contains(jobId));
                assertThat(text(browser, "jobs")).contains("completed");

                assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
                        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused"));
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * Behind API_TOKEN: the page loads, asks for the token, then shows a parked job's waiting call
     * read-only with the status interrupted, keeps following it, and shows the decision and the end.
     */
    @Test
    void aParkedJobBehindATokenShowsItsWaitingCallUntilAResumeDecidesIt() throws Exception {
        String jobId = SampleJobs.newJobId();
        String token = "console-token-" + jobId;
        try (OpenAiTestServer model = new OpenAiTestServer();
             RunningService service = RunningService.start(Map.of("OPENAI_API_KEY", "test-key",
                     "OPENAI_BASE_URL", model.baseUrl(), "API_TOKEN", token), EngineAssembly::create)) {
            ChromeDriver browser = HeadlessChromium.start();
            try {
                browser.get(service.uri("/console/#/jobs/" + jobId).toString());
                await().atMost(PATIENCE).until(() -> browser.findElement(By.id("token-form")).isDisplayed());
                browser.findElement(By.id("token")).sendKeys(token);
                browser.findElement(By.cssSelector("#token-form button")).click();
                await().atMost(PATIENCE).until(() -> text(browser, "conversations").contains("Waiting for the job"));

                model.enqueue(ApprovalJob.oneInterrupt());
                assertThat(service.post(ApprovalJob.cloudEvent(jobId), "Content-Type", "application/cloudevents+json",
                        "Authorization", "Bearer " + token).statusCode()).isEqualTo(202);

                await().atMost(PATIENCE).until(() -> text(browser, "job-status").equals("interrupted"));
                String waiting = text(browser, "interrupts");
                assertThat(waiting).contains("write_file", "w1", "/plan.md", "approve");
                assertThat(browser.findElements(By.cssSelector("#interrupts button, #interrupts input"))).as("read-only").isEmpty();

                assertThat(service.post(ApprovalJob.resumeEvent(jobId, ApprovalJob.approve("w1")), "Content-Type",
                        "application/cloudevents+json", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
                await().atMost(PATIENCE).until(() -> text(browser, "job-status").equals("completed"));
                assertThat(browser.findElement(By.id("interrupts")).isDisplayed()).isFalse();
                assertThat(text(browser, "conversations")).contains("decision: approve write_file");
                assertThat(text(browser, "files")).contains("/plan.md");
                assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
                        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused"));
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * Two delegations to the same agent at once, one of them delegating further, with their events
     * interleaved: each gets its own lane with its own tokens and tool calls, and the one that ends
     * first leaves the other at work. Leaves target/console-parallel.png.
     */
    @Test
    void specialistsAtWorkAtOnceEachGetTheirOwnLane() throws Exception {
        String jobId = SampleJobs.newJobId();
        try (RunningService service = RunningService.start(Map.of("OPENAI_API_KEY", "test-key"), EngineAssembly::create);
             DragonflyJobEventPublisher publisher = new DragonflyJobEventPublisher(new DragonflySettings("127.0.0.1",
                     TestServers.dragonflyPort(), null), StreamSettings.DEFAULTS, new SimpleMeterRegistry())) {
            publisher.start();
            ChromeDriver browser = HeadlessChromium.start();
            try {
                browser.get(service.uri("/console/#/jobs/" + jobId).toString());
                await().atMost(PATIENCE).until(() -> text(browser, "conversations").contains("Waiting for the job"));

                JobEvents job = publisher.forJob(jobId);
                job.introduceAgents(Map.of("orchestrator", "Lead", "researcher", "Researcher", "checker", "Checker"), "orchestrator");
                job.stateUpdate("agent", "orchestrator", List.of(Map.of("role", "user", "content", "Compare Paris and Rome")),
                        Map.of(), List.of());
                job.toolCall("orchestrator", "call_a", "task", "{\"subagent_type\":\"Researcher\",\"description\":\"Research Paris\"}");
                job.toolCall("orchestrator", "call_b", "task", "{\"subagent_type\":\"Researcher\",\"description\":\"Research Rome\"}");
                JobEvents paris = job.withinTask("call_a");
                JobEvents rome = job.withinTask("call_b");
                for (String[] words : new String[][] {{"Paris ", "Rome "}, {"is ", "is "}, {"sunny.", "rainy."}}) {
                    paris.llmToken("researcher", words[0]);
                    rome.llmToken("researcher", words[1]);
                }
                paris.toolCall("researcher", "p1", "lookup_weather", "{\"city\":\"Paris\"}");
                rome.toolCall("researcher", "r1", "lookup_weather", "{\"city\":\"Rome\"}");
                rome.toolResult("researcher", "r1", "lookup_weather", "rain, 14 C");
                rome.toolCall("researcher", "call_b1", "task", "{\"subagent_type\":\"Checker\",\"description\":\"Check Rome\"}");
                rome.withinTask("call_b1").llmToken("checker", "Confirmed.");

                String lanes = "#conversations > .agent > .entries > .lanes > .nested > .agent";
                await().atMost(PATIENCE).until(() -> texts(browser, lane("call_b1")).toString().contains("Confirmed."));
                assertThat(texts(browser, lanes + " > .title > strong")).containsExactly("Researcher", "Researcher");
                assertThat(texts(browser, lanes + " > .title > .task")).containsExactly("task: Research Paris", "task: Research Rome");
                assertThat(assistantText(browser, "call_a")).containsExactly("Paris is sunny.");
                assertThat(assistantText(browser, "call_b")).containsExactly("Rome is rainy.");
                assertThat(laneText(browser, "call_a")).contains("task: Research Paris", "lookup_weather", "running")
                        .doesNotContain("Rome", "Checker");
                assertThat(laneText(browser, "call_b")).contains("task: Research Rome", "rain, 14 C", "Checker", "task: Check Rome");
                assertThat(texts(browser, "#agent-tree > li > ul > li"))
                        .satisfiesExactly(a -> assertThat(a).isEqualTo("Researcher running"),
                                b -> assertThat(b).startsWith("Researcher running").contains("Checker running"));
                browser.manage().window().setSize(new Dimension(1440, 1000));
                Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, Path.of("target", "console-parallel.png"), StandardCopyOption.REPLACE_EXISTING);

                rome.toolResult("researcher", "call_b1", "task", "Rome checked");
                job.toolResult("orchestrator", "call_b", "task", "Rome: rainy");
                paris.toolResult("researcher", "p1", "lookup_weather", "sun, 21 C");
                paris.llmToken("researcher", "Sunny, 21 C.");
                job.toolResult("orchestrator", "call_a", "task", "Paris: sunny");
                job.llmToken("orchestrator", "Paris is the sunnier.");
                job.end();

                await().atMost(PATIENCE).until(() -> text(browser, "job-status").equals("completed"));
                assertThat(assistantText(browser, "call_a")).as("the sibling that ended first left this one at work")
                        .containsExactly("Paris is sunny.", "Sunny, 21 C.");
                assertThat(laneText(browser, "call_a")).contains("sun, 21 C");
                assertThat(texts(browser, "#agent-tree > li > ul > li"))
                        .satisfiesExactly(a -> assertThat(a).isEqualTo("Researcher done"),
                                b -> assertThat(b).startsWith("Researcher done").contains("Checker done"));
                assertThat(texts(browser, "#conversations > .agent > .entries > .msg.assistant")).last()
                        .isEqualTo("Paris is the sunnier.");
                assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
                        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused"));
            } finally {
                browser.quit();
            }
        }
    }

    private static String lane(String taskCallId) {
        return "#conversations .agent[data-task-call-id='" + taskCallId + "']";
    }

    private static String laneText(ChromeDriver browser, String taskCallId) {
        return String.join("\n", texts(browser, lane(taskCallId)));
    }

    /** The assistant messages of this delegation's own conversation, not of the delegations inside it. */
    private static List<String> assistantText(ChromeDriver browser, String taskCallId) {
        return texts(browser, lane(taskCallId) + " > .entries > .msg.assistant");
    }

    /**
     * The rendered text of every element the selector matches, read in one script: the page redraws
     * whole panels each frame, so an element found in one call may be gone by the next.
     */
    @SuppressWarnings("unchecked")
    private static List<String> texts(ChromeDriver browser, String css) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText.trim());", css);
    }

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }
}
