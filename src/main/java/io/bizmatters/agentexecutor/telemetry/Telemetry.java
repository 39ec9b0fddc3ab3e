package io.bizmatters.agentexecutor.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.main.Main;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's OpenTelemetry: an SDK configured by the standard {@code OTEL_*} variables
 * (autoconfigure) exporting traces with OTLP when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or its traces
 * variant) is set, else the no-op API, whose spans cost an object and record nothing.
 *
 * <p>Defaults that differ from the SDK's: OTLP over {@code http/protobuf} (the JDK's HttpClient
 * sends it; no gRPC stack ships), no metrics or logs export (Prometheus scrapes /metrics, logs go to
 * stdout), and OTEL_SERVICE_NAME's contract default. Any {@code OTEL_*} variable overrides them.
 */
public final class Telemetry implements AutoCloseable {
    /** OTel's opt-in for prompt and completion text on model-call spans. */
    static final String CAPTURE_CONTENT = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";
    private static final String INSTRUMENTATION = "agent-executor";

    private final OpenTelemetry openTelemetry;
    private final OpenTelemetrySdk sdk;
    private final boolean captureContent;

    private Telemetry(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk, boolean captureContent) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
        this.captureContent = captureContent;
    }

    /** @param serviceName OTEL_SERVICE_NAME as the settings read it, with the contract's default */
    public static Telemetry fromEnvironment(Map<String, String> environment, String serviceName) {
        boolean capture = Boolean.parseBoolean(environment.getOrDefault(CAPTURE_CONTENT, "false").strip());
        if (!exporting(environment)) {
            return new Telemetry(OpenTelemetry.noop(), null, capture);
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("otel.service.name", serviceName);
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        // A test's environment is a map, not the process's: autoconfigure reads both, the process's winning.
        environment.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .addTracerProviderCustomizer((tracerProvider, config) -> tracerProvider.setIdGenerator(JobTraceIds.GENERATOR))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Telemetry(sdk, sdk, capture);
    }

    /** For tests and benches that hand in their own SDK (an in-memory exporter). */
    public static Telemetry of(OpenTelemetry openTelemetry, boolean captureContent) {
        return new Telemetry(openTelemetry, null, captureContent);
    }

    static boolean exporting(Map<String, String> environment) {
        return isSet(environment.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
                || isSet(environment.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** True when spans are exported; Camel's own tracing of tool routes is switched on only then. */
    public boolean enabled() {
        return sdk != null || openTelemetry != OpenTelemetry.noop();
    }

    public Tracer tracer() {
        return openTelemetry.getTracer(INSTRUMENTATION);
    }

    /**
     * With tracing on, tool routes get Camel's own spans (camel-opentelemetry2, under the scope
     * {@code camel}), children of their tool execution's span: application.properties switches it on
     * with {@link #enabled()} and keeps every other route out (a job's is traced by
     * {@link JobDeliveries}; a probe's or a timer's stays out); this binds the tracer it uses.
     */
    public void traceToolRoutes(Main camel) {
        if (enabled()) {
            camel.bind("otelTracer", openTelemetry.getTracer("camel"));
            camel.bind("otelPropagators", openTelemetry.getPropagators());
        }
    }

    /** Whether model-call spans carry the prompt and completion text (off unless opted in). */
    public boolean captureContent() {
        return captureContent;
    }

    /** Exports what is still buffered; spans of jobs still running when the service stops are lost. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
