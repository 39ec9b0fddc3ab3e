package io.bizmatters.agentexecutor.agent;

import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.HeadlessChromium;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.SampleJobs;
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
 * Leaves a screenshot in target/console.png (docs/images/console.png is one).
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

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }
}
