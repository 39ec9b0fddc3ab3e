package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the dashboard's queries through Prometheus' own promtool: every expression must
 * parse, and the alerts must fire, or stay quiet, on the series of
 * src/test/resources/alerts/agent-executor-alerts.test.yaml. promtool is found as $PROMTOOL or on
 * the PATH (Debian: the prometheus package; docs/deployment.md says how to get it alone); without
 * it these tests are skipped, and ObservabilityTest still checks names and brackets.
 */
class AlertRulesTest {

    private static final Path WORK = Repository.file("target/observability");
    private static final String RULES = "agent-executor-alerts.rules.yaml";
    private static final String DASHBOARD_RULES = "agent-executor-dashboard.rules.yaml";
    private static final String UNIT_TESTS = "agent-executor-alerts.test.yaml";

    @BeforeAll
    static void extractTheRulesAndTheDashboardQueries() throws IOException {
        Files.createDirectories(WORK);
        Manifest rule = Repository.single("platform/05-observability/agent-executor-alerts.yaml");
        write(RULES, JsonNodeFactory.instance.objectNode().set("groups", rule.at("/spec/groups")));
        Manifest dashboard = Repository.single("platform/05-observability/agent-executor-dashboard.yaml");
        JsonNode panels = JsonMapper.builder().build().readTree(dashboard.at("/data/agent-executor.json").asText()).path("panels");
        ObjectNode group = JsonNodeFactory.instance.objectNode().put("name", "dashboard");
        ArrayNode records = group.putArray("rules");
        String namespace = Repository.single(AgentExecutorApi.CLAIM_FILE).namespace();
        panels.forEach(panel -> panel.path("targets").forEach(target -> records.addObject()
                .put("record", "dashboard:panel" + panel.path("id").asInt() + ":" + target.path("refId").asText())
                .put("expr", target.path("expr").asText()
                        .replace("$__rate_interval", "5m").replace("$namespace", namespace))));
        write(DASHBOARD_RULES, JsonNodeFactory.instance.objectNode().set("groups", JsonNodeFactory.instance.arrayNode().add(group)));
        Files.copy(Repository.file("src/test/resources/alerts/" + UNIT_TESTS), WORK.resolve(UNIT_TESTS),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void everyAlertAndEveryPanelQueryParses() throws Exception {
        assertThat(promtool("check", "rules", RULES, DASHBOARD_RULES)).contains("SUCCESS");
    }

    @Test
    void theAlertsFireOnlyWhenTheyShould() throws Exception {
        assertThat(promtool("test", "rules", UNIT_TESTS)).contains("SUCCESS");
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        String binary = locate();
        String missing = "promtool not found: set PROMTOOL or put it on the PATH (.ci/run installs it)";
        if (binary == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing);
        }
        assumeTrue(binary != null, missing);
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String locate() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, "promtool");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return null;
    }

    private static void write(String name, JsonNode content) throws IOException {
        Files.writeString(WORK.resolve(name), Repository.YAML.writeValueAsString(content));
    }
}
