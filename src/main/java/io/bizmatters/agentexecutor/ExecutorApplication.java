package io.bizmatters.agentexecutor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.cloudevents.CloudEventReader;
import io.bizmatters.agentexecutor.cloudevents.JobExecutionEvents;
import io.bizmatters.agentexecutor.cloudevents.ResultEventPublisher;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.cloudevents.ResumeEvents;
import io.bizmatters.agentexecutor.config.LogFormat;
import io.bizmatters.agentexecutor.config.LogLevel;
import io.bizmatters.agentexecutor.config.Settings;
import io.bizmatters.agentexecutor.console.ConsoleAssets;
import io.bizmatters.agentexecutor.control.JobCancels;
import io.bizmatters.agentexecutor.control.ParkedCancels;
import io.bizmatters.agentexecutor.control.RunningJobs;
import io.bizmatters.agentexecutor.execution.AcceptedJobs;
import io.bizmatters.agentexecutor.execution.EngineFailures;
import io.bizmatters.agentexecutor.execution.FailureReports;
import io.bizmatters.agentexecutor.execution.FinishedJobs;
import io.bizmatters.agentexecutor.execution.InterruptExpiry;
import io.bizmatters.agentexecutor.ingress.http.HttpGuards;
import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamComponent;
import io.bizmatters.agentexecutor.ingress.jetstream.PullHealth;
import io.bizmatters.agentexecutor.ingress.jetstream.QuietPullStatus;
import io.bizmatters.agentexecutor.jetstream.JetStreamTopology;
import io.bizmatters.agentexecutor.jobs.CancelRecords;
import io.bizmatters.agentexecutor.jobs.Database;
import io.bizmatters.agentexecutor.jobs.ExpiredInterrupts;
import io.bizmatters.agentexecutor.jobs.JobListQuery;
import io.bizmatters.agentexecutor.jobs.JobStore;
import io.bizmatters.agentexecutor.jobs.ParkedJobs;
import io.bizmatters.agentexecutor.observability.CamelEndpointTags;
import io.bizmatters.agentexecutor.observability.ExecutorMetrics;
import io.bizmatters.agentexecutor.observability.OperationalMetrics;
import io.bizmatters.agentexecutor.observability.ReadinessProbe;
import io.bizmatters.agentexecutor.telemetry.Delivery;
import io.bizmatters.agentexecutor.telemetry.JobDeliveries;
import io.bizmatters.agentexecutor.telemetry.JobSpans;
import io.bizmatters.agentexecutor.telemetry.Telemetry;
import io.bizmatters.agentexecutor.streaming.DragonflyJobEventPublisher;
import io.bizmatters.agentexecutor.watching.JobWatching;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Function;

/**
 * The service: Camel Main with the YAML routes of {@code src/main/resources/routes}, and the beans
 * they call. Settings come from an environment map (the process environment, or a test's map).
 *
 * <p>Shared infrastructure in the registry, for the engine and other modules to reuse:
 * {@code settings} ({@link Settings}), {@code dataSource} (HikariCP, schema set),
 * {@code metricsRegistry} ({@link PrometheusMeterRegistry}, scraped by /metrics),
 * {@code natsConnection} ({@link Connection}), {@code executorMetrics} ({@link ExecutorMetrics}).
 */
public final class ExecutorApplication {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorApplication.class);

    /** What a result event's NATS headers (Content-Type, a message id) may take of the max payload. */
    private static final int HEADER_ROOM = 1024;

    private final Map<String, String> environment;
    private final Settings settings;
    private final Function<SharedInfrastructure, AgentRunner> engine;
    private final Main camel = new Main();
    private HikariDataSource dataSource;
    private Connection nats;
    private SharedInfrastructure shared;
    private DragonflyJobEventPublisher jobEvents;
    private final PullHealth pullHealth = new PullHealth();
    private Telemetry telemetry;
    private ReadinessProbe readinessProbe;
    private final ObjectMapper json = new ObjectMapper();
    private ResultEvents resultEvents;
    private CancelRecords cancelRecords;
    private RunningJobs runningJobs;
    private JobWatching jobWatching;

    /** @param engine builds the agent engine from the shared infrastructure; see {@link EngineAssembly} */
    public ExecutorApplication(Map<String, String> environment, Function<SharedInfrastructure, AgentRunner> engine) {
        this.environment = environment;
        this.settings = Settings.fromEnvironment(environment);
        this.engine = engine;
    }

    /** Starts and returns once the service answers; for tests and embedding. */
    public void start() throws Exception {
        prepare();
        camel.start();
    }

    /** Drains running jobs, then releases connections. */
    public void stop() {
        try {
            camel.stop();
        } finally {
            release();
        }
    }

    /** Runs until the process is told to stop (SIGTERM), then drains; for {@link Main}. */
    public void runUntilStopped() throws Exception {
        prepare();
        try {
            camel.run();
        } finally {
            release();
        }
    }

    public Settings settings() {
        return settings;
    }

    private void prepare() throws Exception {
        LogLevel.apply(settings.logLevel());
        LogFormat.apply(environment.get(LogFormat.VARIABLE));
        LOG.info("Starting with {}", settings);
        telemetry = Telemetry.fromEnvironment(environment, settings.serviceName());
        dataSource = Database.pool(settings.postgres());
        nats = connectNats();
        ensureStatusStream();
        bindSharedInfrastructure();
        bindRouteBeans();
        configureCamel();
    }

    /** A platform-made stream may already capture agent.status.*; results are published into it then. */
    private void ensureStatusStream() throws IOException {
        try {
            new JetStreamTopology(nats).ensureStream(
                    JetStreamTopology.resultStream(ResultEventPublisher.STATUS_STREAM, "agent.status.*"));
        } catch (JetStreamApiException e) {
            LOG.warn("Cannot create stream {} ({}); result events rely on an existing stream capturing agent.status.*",
                    ResultEventPublisher.STATUS_STREAM, e.getMessage());
        }
    }

    private Connection connectNats() throws Exception {
        Options options = Options.builder()
                .server(settings.natsUrl())
                .connectionName(settings.serviceName())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1))
                .errorListener(new QuietPullStatus())
                .build();
        try {
            return Nats.connect(options);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot connect to NATS at NATS_URL: " + e.getMessage(), e);
        }
    }

    private void bindSharedInfrastructure() {
        PrometheusMeterRegistry metricsRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metricsRegistry.config().meterFilter(new CamelEndpointTags());
        camel.bind("settings", settings);
        camel.bind("dataSource", dataSource);
        camel.bind("metricsRegistry", metricsRegistry);
        camel.bind("natsConnection", nats);
        camel.bind("pullHealth", pullHealth);
        ExecutorMetrics executorMetrics = new ExecutorMetrics(metricsRegistry, pullHealth);
        camel.bind("executorMetrics", executorMetrics);
        CheckpointRetention checkpointRetention = new CheckpointRetention(dataSource, settings.checkpointRetention());
        camel.bind("checkpointRetention", checkpointRetention);
        jobEvents = new DragonflyJobEventPublisher(settings.dragonfly(), settings.streams(), metricsRegistry);
        jobEvents.start();
        OperationalMetrics operationalMetrics = new OperationalMetrics(metricsRegistry, settings.maxConcurrentJobs());
        camel.bind("operationalMetrics", operationalMetrics);
        resultEvents = new ResultEvents(json, settings.serviceName(), (int) nats.getMaxPayload() - HEADER_ROOM,
                Delivery::resultSpanId);
        cancelRecords = new CancelRecords(dataSource, resultEvents);
        runningJobs = new RunningJobs(cancelRecords);
        shared = new SharedInfrastructure(settings, dataSource, metricsRegistry, nats, executorMetrics,
                checkpointRetention, jobEvents, camel::getCamelContext, runningJobs, telemetry, operationalMetrics);
    }

    private void bindRouteBeans() throws Exception {
        JobStore jobStore = new JobStore(dataSource, json, resultEvents);
        ResultEventPublisher publisher = new ResultEventPublisher(nats.jetStream(), resultEvents, telemetry.tracer());
        camel.bind("jetstream", new JetStreamComponent());
        // platform-http runs each request on a Vert.x worker thread until the job is done (the answer
        // is synchronous): size that pool like the JetStream slots, and let a long job block without warnings.
        camel.bind("httpServerVertxOptions", new VertxOptions()
                .setWorkerPoolSize(settings.maxConcurrentJobs())
                .setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS));
        JobExecutionEvents jobExecutionEvents = new JobExecutionEvents(settings.maxIdLength(), settings.limits());
        camel.bind("jobExecutionEvents", jobExecutionEvents);
        CloudEventReader cloudEventReader = new CloudEventReader(json, jobExecutionEvents);
        camel.bind("cloudEventReader", cloudEventReader);
        camel.bind("resumeEvents", new ResumeEvents(cloudEventReader, json));
        camel.bind("runningJobs", runningJobs);
        ParkedCancels parkedCancels = new ParkedCancels(cancelRecords, publisher, jobEvents, shared.checkpointRetention(),
                shared.executorMetrics());
        camel.bind("jobCancels", new JobCancels(cancelRecords, parkedCancels, runningJobs, nats,
                cloudEventReader, shared.executorMetrics(), json, settings.serviceName()));
        camel.bind("jobStore", jobStore);
        camel.bind("parkedJobs", new ParkedJobs(dataSource, json, jobStore));
        camel.bind("jobListQuery", new JobListQuery(json));
        camel.bind("consoleAssets", new ConsoleAssets());
        // A job accepted with Prefer: respond-async runs on a virtual thread of its own, as a JetStream job does.
        camel.bind("asyncJobs", Executors.newVirtualThreadPerTaskExecutor());
        camel.bind("acceptedJobs", new AcceptedJobs(json));
        camel.bind("resultEventPublisher", publisher);
        camel.bind("failureReports", new FailureReports(jobStore, publisher, shared.executorMetrics(), json, jobEvents));
        camel.bind("finishedJobs", new FinishedJobs(publisher, jobStore));
        camel.bind("interruptExpiry", new InterruptExpiry(new ExpiredInterrupts(dataSource, jobStore), resultEvents, publisher,
                jobEvents, shared.checkpointRetention(), shared.executorMetrics(), settings.interruptTimeout()));
        readinessProbe = new ReadinessProbe(dataSource, settings, nats, pullHealth, json);
        camel.bind("readinessProbe", readinessProbe);
        camel.bind("agentRunner", new EngineFailures(new JobSpans(engine.apply(shared), telemetry), runningJobs));
        camel.bind("jobDeliveries", new JobDeliveries(telemetry.tracer(), shared.operationalMetrics()));
        jobWatching = new JobWatching(settings.dragonfly(), dataSource, json, shared.metricsRegistry());
        // The platform-http router exists once the context has started, in both start() and run().
        camel.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                try {
                    main.getCamelContext().addStartupListener(new StartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                            jobWatching.mount(VertxPlatformHttpRouter.lookup(context,
                                    VertxPlatformHttpRouter.getRouterNameFromPort(settings.httpPort())));
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException("cannot mount GET " + JobWatching.EVENTS_PATH, e);
                }
            }
        });
    }

    /** Settings the route files and Camel read as {{placeholders}}. */
    private void configureCamel() {
        camel.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                try {
                    main.getCamelContext().addStartupListener(new HttpGuards(settings.http(), settings.httpPort()));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot guard the HTTP server", e);
                }
            }
        });
        camel.addOverrideProperty("camel.server.port", Integer.toString(settings.httpPort()));
        camel.addOverrideProperty("agentExecutor.natsStreamName", settings.natsStreamName());
        camel.addOverrideProperty("agentExecutor.natsConsumerGroup", settings.natsConsumerGroup());
        camel.addOverrideProperty("agentExecutor.maxConcurrentJobs", Integer.toString(settings.maxConcurrentJobs()));
        camel.addOverrideProperty("agentExecutor.shutdownGraceSeconds", Long.toString(settings.shutdownGrace().toSeconds()));
        camel.addOverrideProperty("agentExecutor.leaseRenewalMillis", Long.toString(JobStore.LEASE_RENEWAL.toMillis()));
        camel.addOverrideProperty("agentExecutor.interruptSweepMillis", Long.toString(settings.interruptSweepPeriod().toMillis()));
        camel.addOverrideProperty("camel.main.shutdownTimeout", Long.toString(settings.shutdownTimeout().toSeconds()));
        telemetry.traceToolRoutes(camel);
    }

    private void release() {
        if (jobWatching != null) {
            jobWatching.close();
        }
        if (runningJobs != null) {
            runningJobs.close();
        }
        if (telemetry != null) {
            telemetry.close();
        }
        if (readinessProbe != null) {
            readinessProbe.close();
        }
        if (jobEvents != null) {
            jobEvents.close();
        }
        if (nats != null) {
            try {
                nats.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
