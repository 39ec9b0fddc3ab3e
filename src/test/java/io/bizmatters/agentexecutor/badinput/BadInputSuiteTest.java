package io.bizmatters.agentexecutor.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.EngineAssembly;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;
import io.bizmatters.agentexecutor.testsupport.RunningService;
import io.bizmatters.agentexecutor.testsupport.ScriptedModelServer;
import io.bizmatters.agentexecutor.testsupport.StatusEvents;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input suite (issue 14): well over 100 bad inputs over HTTP and NATS against the whole
 * service with its real engine, a scripted OpenAI server and a private NATS server. Each input gets
 * a 4xx naming the problem, or a failed event (and, over NATS, no redelivery), with no stack trace
 * and no class name; a good job still completes after every 10 inputs; the service's log holds no
 * secret and no forged line, in the text and in the json LOG_FORMAT. Ends with one summary line.
 */
class BadInputSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_TOKEN = "api-token-" + UUID.randomUUID();
    private static final String OPENAI_KEY = "sk-fake-openai-" + UUID.randomUUID();
    private static final String ANTHROPIC_KEY = "sk-ant-fake-" + UUID.randomUUID();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new ArrayList<>();
    private int inputs;
    private int overHttp;
    private int overNats;
    private int passed;

    @Test
    void everyBadInputIsAnsweredAndTheServiceKeepsWorking() throws Exception {
        StringWriter log = new StringWriter();
        StringWriter jsonLog = new StringWriter();
        Appender capture = captureLog(log, "text");
        Appender jsonCapture = captureLog(jsonLog, "json");
        TestServers.NatsServer nats = TestServers.NatsServer.start();
        Map<String, String> environment = new HashMap<>(Map.of(
                "NATS_URL", nats.url(), "API_TOKEN", API_TOKEN,
                "OPENAI_API_KEY", OPENAI_KEY, "ANTHROPIC_API_KEY", ANTHROPIC_KEY,
                "AGENT_MODEL_IDLE_TIMEOUT_SECONDS", "1", "AGENT_MODEL_TOTAL_TIMEOUT_SECONDS", "10",
                "HTTP_REQUEST_TIMEOUT_SECONDS", "1", "HTTP_IDLE_TIMEOUT_SECONDS", "2"));
        String postgresPassword = TestServers.serviceEnvironment().get("POSTGRES_PASSWORD");
        try (OpenAiTestServer model = new OpenAiTestServer()) {
            environment.put("OPENAI_BASE_URL", model.baseUrl());
            try (RunningService service = RunningService.start(environment, EngineAssembly::create);
                 StatusEvents events = StatusEvents.listen(nats.url());
                 Connection client = Nats.connect(nats.url())) {
                Suite suite = new Suite(service, model, events, client);
                for (BadInputs.Input input : BadInputs.all()) {
                    suite.overHttp(input);
                    if (input.overNats()) {
                        suite.overNats(input);
                    }
                }
                suite.lookups();
                suite.accessControl();
                suite.modelsThatMisbehave();
                suite.garbledToolArguments();
                suite.aResultLargerThanTheNatsPayloadLimit();
                suite.slowClients();
                suite.noRedelivery();
            }
        } finally {
            nats.stop();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            for (Appender appender : List.of(capture, jsonCapture)) {
                context.getRootLogger().removeAppender(appender);
                appender.stop();
            }
        }
        checkLog("text", log.toString(), postgresPassword);
        checkLog("json", jsonLog.toString(), postgresPassword);
        if (jsonLog.toString().lines().anyMatch(line -> !isJsonObject(line))) {
            failures.add("a json log line is not one JSON object");
        }
        System.out.printf("bad-input-suite: inputs=%d http=%d nats=%d passed=%d failed=%d%n",
                inputs, overHttp, overNats, passed, failures.size());
        assertThat(failures).isEmpty();
        assertThat(inputs).isGreaterThanOrEqualTo(100);
    }

    private final class Suite {
        private final RunningService service;
        private final OpenAiTestServer model;
        private final StatusEvents events;
        private final Connection client;
        private final Answers answers = new Answers(List.of(API_TOKEN, OPENAI_KEY, ANTHROPIC_KEY));

        Suite(RunningService service, OpenAiTestServer model, StatusEvents events, Connection client) {
            this.service = service;
            this.model = model;
            this.events = events;
            this.client = client;
        }

        void overHttp(BadInputs.Input input) {
            HttpResponse<String> response = post(input.body(), input.query(), authorized(input.headers()));
            check("http " + input.name(), answers.rejected(response));
            overHttp++;
        }

        void overNats(BadInputs.Input input) throws Exception {
            // A fresh job id, so the NATS copy is a new job rather than a duplicate of the HTTP one.
            String jobId = "unknown".equals(input.jobId()) ? "unknown" : input.jobId() + "-nats";
            String body = "unknown".equals(jobId) ? input.body() : input.body().replace(input.jobId(), jobId);
            int unknownBefore = unknownCount();
            client.jetStream().publish("agent.execute.test", body.getBytes(StandardCharsets.UTF_8));
            String problem;
            try {
                if ("unknown".equals(jobId)) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> unknownCount() > unknownBefore);
                    problem = answers.failedEventProblem(events.forJob("unknown").get(unknownBefore).event());
                } else {
                    problem = answers.failedEventProblem(events.awaitFor(jobId).event());
                }
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                problem = "no failed event";
            }
            check("nats " + input.name(), problem);
            overNats++;
        }

        private int unknownCount() {
            return events.forJob("unknown").size();
        }

        void lookups() {
            for (String path : List.of("/jobs/a%00b", "/jobs/" + "j".repeat(300), "/jobs/a%0Ab", "/jobs/a%1B%5B2J")) {
                check("lookup " + path.substring(0, Math.min(20, path.length())), answers.rejected(get(path, true)));
                overHttp++;
            }
        }

        void accessControl() {
            String job = BadInputs.structured(BadInputs.goodData("j-" + UUID.randomUUID()));
            for (String header : new String[]{null, "Bearer wrong-token", "Basic " + API_TOKEN, "Bearer"}) {
                List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
                if (header != null) {
                    headers.addAll(List.of("Authorization", header));
                }
                HttpResponse<String> response = post(job, null, headers);
                check("token " + (header == null ? "missing" : header.split(" ")[0]), response.statusCode() == 401
                        ? answers.rejected(response) : "answered " + response.statusCode() + " without a valid token");
                overHttp++;
            }
            HttpResponse<String> lookup = get("/jobs/some-job", false);
            check("lookup without token", lookup.statusCode() == 401 ? null : "lookup answered " + lookup.statusCode());
            overHttp++;
            for (String open : List.of("/health", "/ready", "/metrics")) {
                check(open + " without token", get(open, false).statusCode() == 200 ? null : open + " needs a token");
                overHttp++;
            }
        }

        void modelsThatMisbehave() throws Exception {
            List<ScriptedModelServer.Reply> replies = List.of(ScriptedModelServer.notAStream(), ScriptedModelServer.html(),
                    ScriptedModelServer.nonJsonEvents(), ScriptedModelServer.oneEventThenSilence());
            for (ScriptedModelServer.Reply reply : replies) {
                String jobId = "j-" + UUID.randomUUID();
                model.enqueue(reply);
                HttpResponse<String> response = post(BadInputs.structured(BadInputs.goodData(jobId)), null,
                        authorized(List.of("Content-Type", "application/json")));
                String problem = response.statusCode() != 200 ? "answered " + response.statusCode() : null;
                check("model " + reply.getClass().getSimpleName(), problem != null ? problem
                        : answers.failedEventProblem(events.awaitFor(jobId).event()));
                overHttp++;
            }
            for (ScriptedModelServer.Reply reply : List.of(ScriptedModelServer.html(), ScriptedModelServer.oneEventThenSilence())) {
                String jobId = "j-" + UUID.randomUUID();
                model.enqueue(reply);
                client.jetStream().publish("agent.execute.test",
                        BadInputs.structured(BadInputs.goodData(jobId)).getBytes(StandardCharsets.UTF_8));
                check("nats model " + reply.getClass().getSimpleName(), answers.failedEventProblem(events.awaitFor(jobId).event()));
                overNats++;
            }
        }

        void garbledToolArguments() throws Exception {
            for (String arguments : List.of("{not json", "[1, 2]")) {
                String jobId = "j-" + UUID.randomUUID();
                int requestsBefore = model.requests().size();
                model.enqueue(ScriptedModelServer.toolCalls(new ScriptedModelServer.Call("call-1", "write_todos", arguments)),
                        ScriptedModelServer.text("done"));
                HttpResponse<String> response = post(BadInputs.structured(BadInputs.goodData(jobId)), null,
                        authorized(List.of("Content-Type", "application/json")));
                String problem = null;
                if (response.statusCode() != 200 || !response.body().contains("\"completed\"")) {
                    problem = "answered " + response.statusCode() + " " + response.body();
                } else if (!model.requests().get(requestsBefore + 1).toString().contains("Error: the arguments")) {
                    problem = "the model was not told its arguments were not a JSON object";
                }
                check("tool arguments " + arguments, problem);
                overHttp++;
            }
        }

        void aResultLargerThanTheNatsPayloadLimit() throws Exception {
            String jobId = "j-" + UUID.randomUUID();
            String answer = "x".repeat(1_500_000) + " end";
            model.enqueue(ScriptedModelServer.text(answer));
            HttpResponse<String> response = post(BadInputs.structured(BadInputs.goodData(jobId)), null,
                    authorized(List.of("Content-Type", "application/json")));
            String problem = null;
            JsonNode event = response.statusCode() == 200 ? events.awaitFor(jobId).event() : null;
            if (event == null) {
                problem = "answered " + response.statusCode();
            } else if (!event.at("/data/result/output").asText().contains("[truncated from " + answer.length())) {
                problem = "the completed event's output carries no truncation marker";
            } else if (JSON.readTree(get("/jobs/" + jobId, true).body()).at("/result/output").asText().length() != answer.length()) {
                problem = "the jobs row lost the full output";
            }
            check("a 1.5 MB answer", problem);
            overHttp++;
        }

        /** A body that never completes is answered 408 and closed; an idle kept-alive connection is closed. */
        void slowClients() throws Exception {
            URI base = service.uri("/");
            check("a slow body", SlowClients.slowBody(base, API_TOKEN));
            overHttp++;
            check("an idle connection", SlowClients.idleConnection(base));
            overHttp++;
        }

        void noRedelivery() throws Exception {
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    ConsumerInfo now = consumer();
                    return now.getNumAckPending() == 0 && now.getNumPending() == 0;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                ConsumerInfo stuck = consumer();
                failures.add("nats: " + stuck.getNumPending() + " pending and " + stuck.getNumAckPending()
                        + " unacknowledged messages remain (delivered " + stuck.getDelivered() + ", acked " + stuck.getAckFloor() + ")");
            }
            ConsumerInfo info = consumer();
            if (info.getRedelivered() != 0) {
                failures.add("nats: " + info.getRedelivered() + " messages were redelivered");
            }
        }

        private ConsumerInfo consumer() throws Exception {
            return client.jetStreamManagement().getConsumerInfo("AGENT_EXECUTION", "agent-executor-workers");
        }

        /** Every tenth input: the service is alive and a good job still completes. */
        private void check(String name, String problem) {
            inputs++;
            if (problem == null) {
                passed++;
            } else {
                failures.add(name + ": " + problem);
            }
            if (inputs % 10 == 0) {
                goodJob();
            }
        }

        private void goodJob() {
            String jobId = "good-" + UUID.randomUUID();
            model.enqueue(ScriptedModelServer.text("hello"));
            HttpResponse<String> response = post(BadInputs.structured(BadInputs.goodData(jobId)), null,
                    authorized(List.of("Content-Type", "application/json")));
            if (response.statusCode() != 200 || !response.body().contains("\"completed\"")) {
                failures.add("good job after " + inputs + " inputs: " + response.statusCode() + " " + response.body());
            }
            if (get("/health", false).statusCode() != 200) {
                failures.add("not healthy after " + inputs + " inputs");
            }
        }

        private List<String> authorized(List<String> headers) {
            List<String> all = new ArrayList<>(headers);
            all.addAll(List.of("Authorization", "Bearer " + API_TOKEN));
            return all;
        }

        private HttpResponse<String> post(String body, String query, List<String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(query == null ? "/" : "/?" + query))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (!headers.isEmpty()) {
                request.headers(headers.toArray(String[]::new));
            }
            return send(request);
        }

        private HttpResponse<String> get(String path, boolean withToken) {
            HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path)).GET();
            if (withToken) {
                request.header("Authorization", "Bearer " + API_TOKEN);
            }
            return send(request);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException("the service did not answer: " + e.getMessage(), e);
            }
        }
    }

    /** Either LOG_FORMAT: no secret, no line a caller forged, no raw control character. */
    private void checkLog(String format, String written, String postgresPassword) {
        for (String secret : new String[]{API_TOKEN, OPENAI_KEY, ANTHROPIC_KEY, postgresPassword}) {
            if (secret != null && !secret.isEmpty() && written.contains(secret)) {
                failures.add("the service's " + format + " log holds a secret value");
            }
        }
        if (written.lines().anyMatch(line -> line.startsWith(BadInputs.FORGED.substring(0, 30)))) {
            failures.add("a caller forged a " + format + " log line");
        }
        if (written.chars().anyMatch(c -> c == 0x1b || c == 0)) {
            failures.add("a control character reached the " + format + " log");
        }
    }

    private static boolean isJsonObject(String line) {
        try {
            return JSON.readTree(line).isObject();
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A production layout (log4j2.properties: appender {@code text} or {@code json}) on an appender
     * of its own, so the suite reads what an operator would in either LOG_FORMAT.
     */
    private static Appender captureLog(StringWriter log, String format) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Layout<?> layout = context.getConfiguration().getAppender(format).getLayout();
        String name = "bad-input-suite-" + format;
        Appender appender = WriterAppender.newBuilder().setName(name).setTarget(log)
                .setLayout((Layout<? extends java.io.Serializable>) layout).build();
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getRootLogger().addAppender(context.getConfiguration().getAppender(name));
        return appender;
    }
}
