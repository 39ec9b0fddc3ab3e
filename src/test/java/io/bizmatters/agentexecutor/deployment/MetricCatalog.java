package io.bizmatters.agentexecutor.deployment;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.ingress.jetstream.PullHealth;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import io.bizmatters.agentexecutor.observability.OperationalMetrics;
import io.bizmatters.agentexecutor.streaming.DragonflyJobEventPublisher;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import io.bizmatters.agentexecutor.streaming.StreamSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series a dashboard panel or an alert may read, in one place: those the service
 * registers (learned by letting its own metric classes register on a Prometheus registry and
 * reading the scrape), and the few that come from other exporters.
 */
final class MetricCatalog {

    /** Series of other exporters, and where they come from. */
    static final Map<String, String> EXTERNAL = Map.of(
            "nats_consumer_num_pending", "prometheus-nats-exporter -jsz=all -prefix=nats (NATS chart promExporter)",
            "nats_consumer_num_ack_pending", "prometheus-nats-exporter -jsz=all -prefix=nats (NATS chart promExporter)",
            "nats_consumer_num_redelivered", "prometheus-nats-exporter -jsz=all -prefix=nats (NATS chart promExporter)",
            "kube_pod_status_ready", "kube-state-metrics");

    private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
    private static final Pattern SAMPLE_LINE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private MetricCatalog() {
    }

    /** Metric family → Prometheus type ("counter", "gauge", "histogram", ...), as the service's registry exposes them. */
    static Map<String, String> registeredFamilies() {
        Map<String, String> families = new HashMap<>();
        Matcher type = TYPE_LINE.matcher(scrape());
        while (type.find()) {
            families.put(type.group(1), type.group(2));
        }
        return families;
    }

    /** Every series name the scrape shows, with its _total, _bucket, _count, _sum, _max suffix. */
    static Set<String> registeredSeries() {
        Set<String> series = new HashSet<>();
        Matcher sample = SAMPLE_LINE.matcher(scrape());
        while (sample.find()) {
            series.add(sample.group(1));
        }
        return series;
    }

    /** Every series a panel or an alert may read. */
    static Set<String> allowedSeries() {
        Set<String> allowed = new HashSet<>(registeredSeries());
        allowed.addAll(EXTERNAL.keySet());
        return allowed;
    }

    /**
     * The service's metric classes on a fresh registry, as ExecutorApplication registers them; one
     * token usage and one model call make the per-model series appear.
     */
    private static String scrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ExecutorMetrics(registry, new PullHealth()).tokensUsed(
                new AgentOutcome("", List.of(new AgentOutcome.ModelUsage("openai", "gpt-4o", 1, 1))));
        new OperationalMetrics(registry, 1).modelCall("openai", "gpt-4o", "ok", 1_000_000);
        new DragonflyJobEventPublisher(new DragonflySettings("localhost", DragonflySettings.DEFAULT_PORT, null),
                StreamSettings.DEFAULTS, registry);
        return registry.scrape();
    }
}
