package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard, the alerts and the scrape targets of platform/05-observability (issue 12, "4. Ship
 * the dashboards and alerts"): each metric they read exists (MetricCatalog), the queries are
 * well-formed, and the scrape targets select the pods and ports the other manifests define. Their
 * schemas are checked with every other file (CustomResourceSchemaTest, BuiltInKindsTest).
 */
class ObservabilityTest {

    static final String LAYER = "platform/05-observability";
    private static final String DASHBOARD_FILE = LAYER + "/agent-executor-dashboard.yaml";
    private static final String ALERTS_FILE = LAYER + "/agent-executor-alerts.yaml";
    private static final String POD_MONITORS_FILE = LAYER + "/agent-executor-podmonitor.yaml";

    private final Manifest dashboardConfigMap = Repository.single(DASHBOARD_FILE);
    private final JsonNode dashboard = dashboardJson();
    private final Manifest rules = Repository.single(ALERTS_FILE);

    @Test
    void everyMetricAPanelOrAnAlertReadsIsRegisteredOrExternal() {
        Set<String> allowed = MetricCatalog.allowedSeries();
        Map<String, String> expressions = expressions();
        assertThat(expressions).hasSizeGreaterThan(15);
        expressions.forEach((where, expression) ->
                assertThat(PromQl.metricNames(expression)).as(where + ": " + expression).isNotEmpty()
                        .allSatisfy(name -> assertThat(allowed).as(where + " reads " + name).contains(name)));
    }

    @Test
    void theCatalogKnowsTheServicesContractMetricsFromTheServiceItself() {
        assertThat(MetricCatalog.registeredSeries()).contains(
                "agent_executor_jobs_total", "agent_executor_job_duration_seconds_bucket",
                "agent_executor_llm_tokens_total", "agent_executor_redis_publish_errors_total",
                "agent_executor_nats_messages_processed_total", "agent_executor_db_connection_errors_total");
    }

    /** The operational series the panels and alerts read come from the service too; a histogram must not arrive as a summary. */
    @Test
    void theServiceRegistersTheOperationalMetricsWithTheTypesThePanelsRead() {
        assertThat(MetricCatalog.registeredFamilies())
                .containsEntry("agent_executor_jobs_total", "counter")
                .containsEntry("agent_executor_job_duration_seconds", "histogram")
                .containsEntry("agent_executor_redis_publish_queue_size", "gauge")
                .containsEntry("agent_executor_model_call_duration_seconds", "histogram")
                .containsEntry("agent_executor_jobs_in_flight", "gauge")
                .containsEntry("agent_executor_job_slots", "gauge")
                .containsEntry("agent_executor_delivery_attempts_total", "counter")
                .containsEntry("agent_executor_checkpoint_write_duration_seconds", "histogram")
                .containsEntry("agent_executor_queue_wait_seconds", "histogram");
    }

    @Test
    void theDashboardHasThePanelsIssue12AsksFor() {
        Map<String, Set<String>> readByPanel = new HashMap<>();
        dashboard.path("panels").forEach(panel -> {
            Set<String> names = new HashSet<>();
            panel.path("targets").forEach(target -> names.addAll(PromQl.metricNames(target.path("expr").asText())));
            readByPanel.put(panel.path("title").asText(), names);
        });
        assertThat(readByPanel).hasEntrySatisfying("Jobs/s by status", names -> assertThat(names).contains("agent_executor_jobs_total"))
                .hasEntrySatisfying("Job duration p50 / p95", names -> assertThat(names).contains("agent_executor_job_duration_seconds_bucket"))
                .hasEntrySatisfying("Tokens/s by model", names -> assertThat(names).contains("agent_executor_llm_tokens_total"))
                .hasEntrySatisfying("Model call latency p95 by model",
                        names -> assertThat(names).contains("agent_executor_model_call_duration_seconds_bucket"))
                .hasEntrySatisfying("Jobs in flight vs slots",
                        names -> assertThat(names).contains("agent_executor_jobs_in_flight", "agent_executor_job_slots"))
                .hasEntrySatisfying("Deliveries and redeliveries",
                        names -> assertThat(names).contains("agent_executor_delivery_attempts_total"))
                .hasEntrySatisfying("Stream publish errors",
                        names -> assertThat(names).contains("agent_executor_redis_publish_errors_total"));
    }

    @Test
    void theDashboardIsAGrafanaDashboardTheSidecarLoads() {
        assertThat(dashboardConfigMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(dashboardConfigMap.at("/data").size()).isEqualTo(1);
        assertThat(dashboard.path("uid").asText()).isNotBlank().hasSizeLessThanOrEqualTo(40);
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        Set<String> variables = new HashSet<>();
        dashboard.at("/templating/list").forEach(variable -> variables.add(variable.path("name").asText()));
        assertThat(variables).contains("datasource", "namespace");
        dashboard.path("panels").forEach(panel -> {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id " + panel.path("id")).isTrue();
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.at("/gridPos/w").asInt()).isBetween(1, 24);
            assertThat(panel.at("/gridPos/x").asInt() + panel.at("/gridPos/w").asInt()).isLessThanOrEqualTo(24);
            assertThat(panel.path("targets")).isNotEmpty().allSatisfy(target -> {
                assertThat(target.path("refId").asText()).isNotBlank();
                assertThat(target.path("expr").asText()).isNotBlank();
            });
        });
    }

    @Test
    void theAlertsAreTheFiveIssue12AsksFor() {
        Map<String, String> alerts = alerts();
        assertThat(alerts).containsOnlyKeys("AgentExecutorJobFailureRatioHigh", "AgentExecutorStalled",
                "AgentExecutorStreamPublishErrors", "AgentExecutorReadinessFlapping", "AgentExecutorCheckpointWritesSlow");
        assertThat(PromQl.metricNames(alerts.get("AgentExecutorJobFailureRatioHigh"))).contains("agent_executor_jobs_total");
        assertThat(PromQl.metricNames(alerts.get("AgentExecutorStalled")))
                .contains("agent_executor_jobs_total", "nats_consumer_num_pending", "nats_consumer_num_ack_pending");
        assertThat(PromQl.metricNames(alerts.get("AgentExecutorStreamPublishErrors"))).contains("agent_executor_redis_publish_errors_total");
        assertThat(PromQl.metricNames(alerts.get("AgentExecutorReadinessFlapping"))).contains("kube_pod_status_ready");
        assertThat(PromQl.metricNames(alerts.get("AgentExecutorCheckpointWritesSlow")))
                .contains("agent_executor_checkpoint_write_duration_seconds_bucket");
        rules.at("/spec/groups").forEach(group -> group.path("rules").forEach(rule -> {
            assertThat(rule.at("/labels/severity").asText()).isIn("warning", "critical");
            assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
            assertThat(rule.path("for").asText()).matches("[0-9]+[smh]");
        }));
    }

    @Test
    void theQueriesAreWellFormedAndReadTheContractsStreamAndNamespace() {
        String namespace = Repository.single(AgentExecutorApi.CLAIM_FILE).namespace();
        expressions().forEach((where, expression) -> {
            assertThat(PromQl.balanced(expression)).as(where + " brackets: " + expression).isTrue();
            for (List<String> quantile : PromQl.quantiles(expression)) {
                assertThat(quantile.get(0)).as(where + ": a quantile keeps le").contains("le");
                assertThat(quantile.get(1)).as(where + ": a quantile reads buckets").endsWith("_bucket");
            }
            if (expression.contains("histogram_quantile")) {
                assertThat(PromQl.quantiles(expression)).as(where + ": every quantile is read").isNotEmpty();
            }
            if (expression.contains("nats_consumer_")) {
                assertThat(expression).contains("stream_name=\"" + ServiceContract.JOB_STREAM + "\"")
                        .contains("consumer_name=\"" + ServiceContract.CONSUMER + "\"");
            }
        });
        alerts().forEach((name, expression) -> {
            if (expression.contains("agent_executor_")) {
                assertThat(expression).as(name).contains("namespace=\"" + namespace + "\"");
            }
        });
    }

    @Test
    void theExecutorPodMonitorScrapesTheMetricsPortOfTheRenderedPods() {
        Manifest podMonitor = podMonitor("agent-executor");
        ObjectNode deployment = RenderedClaim.renderClaim().get("deployment");
        assertThat(podMonitor.namespace()).isEqualTo(deployment.at("/metadata/namespace").asText());
        assertThat(CompositionRenderTest.strings(deployment.at("/spec/template/metadata/labels")))
                .containsAllEntriesOf(CompositionRenderTest.strings(podMonitor.at("/spec/selector/matchLabels")));
        JsonNode endpoint = podMonitor.at("/spec/podMetricsEndpoints/0");
        assertThat(RenderedClaim.mainContainer(deployment).at("/ports/0/name").asText()).isEqualTo(endpoint.path("port").asText());
        assertThat(endpoint.path("path").asText()).isEqualTo(ServiceContract.METRICS_PATH);
        assertThat(rules.namespace()).isEqualTo(podMonitor.namespace());
    }

    @Test
    void theNatsPodMonitorScrapesTheExporterEveryProfileRuns() {
        Manifest podMonitor = podMonitor("nats");
        for (Profile profile : Profile.all()) {
            String release = profile.nats().at("/spec/source/helm/releaseName").asText();
            assertThat(podMonitor.namespace()).isEqualTo(profile.nats().at("/spec/destination/namespace").asText());
            assertThat(CompositionRenderTest.strings(podMonitor.at("/spec/selector/matchLabels"))).isEqualTo(Map.of(
                    "app.kubernetes.io/name", "nats", "app.kubernetes.io/instance", release, "app.kubernetes.io/component", "nats"));
            assertThat(profile.natsValues().at("/promExporter/enabled").asBoolean()).as(profile.name()).isTrue();
        }
        // The chart names the exporter's container port prom-metrics (files/stateful-set/prom-exporter-container.yaml).
        assertThat(podMonitor.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("prom-metrics");
    }

    @Test
    void theObservabilityLayerIsSyncedByItsOwnApplication() {
        Manifest application = Repository.single("platform/05-observability.yaml");
        assertThat(application.at("/spec/source/path").asText()).isEqualTo(LAYER);
        assertThat(Repository.single("bootstrap/components/03-platform-layers.yaml").at("/spec/source/path").asText())
                .isEqualTo("platform");
        assertThat(Repository.kubernetesManifests()).filteredOn(manifest -> manifest.file().startsWith(LAYER))
                .extracting(Manifest::kind).containsExactlyInAnyOrder("ConfigMap", "PrometheusRule", "PodMonitor", "PodMonitor");
    }

    private Manifest podMonitor(String name) {
        return Repository.parse(Repository.file(POD_MONITORS_FILE)).stream()
                .filter(manifest -> manifest.name().equals(name)).findFirst().orElseThrow();
    }

    /** Alert name → its expression. */
    private Map<String, String> alerts() {
        Map<String, String> alerts = new HashMap<>();
        rules.at("/spec/groups").forEach(group -> group.path("rules").forEach(rule ->
                alerts.put(rule.path("alert").asText(), rule.path("expr").asText())));
        return alerts;
    }

    /** Where → expression, for every panel target and every alert. */
    private Map<String, String> expressions() {
        Map<String, String> expressions = new HashMap<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> expressions.put(
                "panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(), target.path("expr").asText())));
        alerts().forEach((name, expression) -> expressions.put("alert " + name, expression));
        return expressions;
    }

    private JsonNode dashboardJson() {
        List<String> documents = new ArrayList<>();
        dashboardConfigMap.at("/data").forEach(value -> documents.add(value.asText()));
        try {
            return JsonMapper.builder().build().readTree(documents.getFirst());
        } catch (IOException e) {
            throw new UncheckedIOException(DASHBOARD_FILE + " holds no dashboard JSON", e);
        }
    }
}
