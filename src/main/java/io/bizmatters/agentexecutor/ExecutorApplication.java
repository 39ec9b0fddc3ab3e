package io.bizmatters.agentexecutor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.checkpoint.CheckpointRetention;
import io.bizmatters.agentexecutor.checkpoint.NewThreads;
import io.bizmatters.agentexecutor.cloudevents.CloudEventReader;
import io.bizmatters.agentexecutor.cloudevents.JobExecutionEvents;
import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.cloudevents.ResumeEvents;
import io.bizmatters.agentexecutor.config.LogFormat;
import io.bizmatters.agentexecutor.config.LogLevel;
import io.bizmatters.agentexecutor.console.ConsoleAssets;
import io.bizmatters.agentexecutor.control.JobCancels;
import io.bizmatters.agentexecutor.control.ParkedCancels;
import io.bizmatters.agentexecutor.control.RunningJobs;
import io.bizmatters.agentexecutor.execution.AcceptedJobs;
import io.bizmatters.agentexecutor.execution.CompletedJobs;
import io.bizmatters.agentexecutor.execution.RouteConditions;
import io.bizmatters.agentexecutor.execution.EngineRuns;
import io.bizmatters.agentexecutor.execution.FailureReports;
import io.bizmatters.agentexecutor.execution.FinishedJobs;
import io.bizmatters.agentexecutor.execution.InterruptExpiry;
import io.bizmatters.agentexecutor.ingress.http.FailureAnswers;
import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamComponent;
import io.bizmatters.agentexecutor.ingress.jetstream.PullHealth;
import io.bizmatters.agentexecutor.jobs.CancelRecords;
import io.bizmatters.agentexecutor.jobs.Database;
import io.bizmatters.agentexecutor.jobs.ExpiredInterrupts;
import io.bizmatters.agentexecutor.jobs.JobListQuery;
import io.bizmatters.agentexecutor.jobs.JobStore;
import io.bizmatters.agentexecutor.jobs.ParkedJobs;
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
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The service: Camel Main with the YAML routes of {@code src/main/resources/routes}, and the beans
 * they call. Its {@link Settings} are read from Camel's properties: application.properties over an
 * environment map (the process environment, or a test's map).
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

    private final ServiceMain camel;
    private final Settings settings;
    private final Telemetry telemetry;
    private final Function<SharedInfrastructure, AgentRunner> engine;
    /** What start-up opened, closed in the reverse order. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private HikariDataSource dataSource;
    private Connection nats;
    private SharedInfrastructure shared;
    private PrometheusMeterRegistry metricsRegistry;
    private ExecutorMetrics executorMetrics;
    private DragonflyJobEventPublisher jobEvents;
    private final PullHealth pullHealth = new PullHealth();
    private final ObjectMapper json = new ObjectMapper();
    private ResultEvents resultEvents;
    private CancelRecords cancelRecords;
    private RunningJobs runningJobs;
    private JobWatching jobWatching;

    /**
     * @param environment the variables of docs/contract.md; the OpenTelemetry SDK reads its own OTEL_* from it too
     * @param engine      builds the agent engine from the shared infrastructure; see {@link EngineAssembly}
     * @throws io.bizmatters.agentexecutor.config.MissingSettings naming every bad or missing variable
     */
    public ExecutorApplication(Map<String, String> environment, Function<SharedInfrastructure, AgentRunner> engine) {
        this.camel = new ServiceMain(environment);
        this.settings = Settings.from(camel.properties());
        this.telemetry = open(Telemetry.fromEnvironment(environment, settings.serviceName()));
        camel.properties().addPropertiesSource(DerivedProperties.of(settings, telemetry.enabled()));
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
        LogFormat.apply(settings.logFormat());
        LOG.info("Starting with {}", settings);
        dataSource = open(Database.pool(settings.postgres()));
        nats = open(NatsConnections.open(settings));
        NatsConnections.ensureStatusStream(nats);
        bindSharedInfrastructure();
        bindRouteBeans();
        camel.addMainListener(new RouterMounts(settings, jobWatching));
        telemetry.traceToolRoutes(camel);
    }

    private void bindSharedInfrastructure() {
        metricsRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        camel.bind("settings", settings);
        camel.bind("dataSource", dataSource);
        camel.bind("metricsRegistry", metricsRegistry);
        camel.bind("natsConnection", nats);
        camel.bind("pullHealth", pullHealth);
        executorMetrics = new ExecutorMetrics(metricsRegistry, pullHealth);
        camel.bind("executorMetrics", executorMetrics);
        CheckpointRetention checkpointRetention = new CheckpointRetention(dataSource, settings.checkpointRetention());
        camel.bind("checkpointRetention", checkpointRetention);
        jobEvents = open(new DragonflyJobEventPublisher(settings.dragonfly(), settings.streams(), metricsRegistry));
        jobEvents.start();
        OperationalMetrics operationalMetrics = new OperationalMetrics(metricsRegistry, settings.maxConcurrentJobs());
        camel.bind("operationalMetrics", operationalMetrics);
        resultEvents = new ResultEvents(json, settings.serviceName(), (int) nats.getMaxPayload() - HEADER_ROOM,
                Delivery::resultSpanId);
        cancelRecords = new CancelRecords(dataSource, resultEvents);
        runningJobs = open(new RunningJobs());
        shared = new SharedInfrastructure(settings, dataSource,
                checkpointRetention, jobEvents, camel::getCamelContext, runningJobs, telemetry, operationalMetrics, new NewThreads());
    }

    private void bindRouteBeans() throws Exception {
        JobStore jobStore = new JobStore(dataSource, json, resultEvents, shared.newThreads());
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
                executorMetrics);
        camel.bind("jobCancels", new JobCancels(cancelRecords, parkedCancels, runningJobs, nats,
                cloudEventReader, executorMetrics, json, settings.serviceName()));
        camel.bind("jobStore", jobStore);
        camel.bind("parkedJobs", new ParkedJobs(dataSource, json, jobStore));
        camel.bind("jobListQuery", new JobListQuery(json));
        camel.bind("consoleAssets", new ConsoleAssets());
        // A job accepted with Prefer: respond-async runs on a virtual thread of its own, as a JetStream job does.
        camel.bind("asyncJobs", Executors.newVirtualThreadPerTaskExecutor());
        camel.bind("acceptedJobs", new AcceptedJobs(json));
        camel.bind("resultEventPublisher", publisher);
        camel.bind("failureReports", new FailureReports(jobStore, publisher, executorMetrics, jobEvents));
        camel.bind("failureAnswers", new FailureAnswers(json, executorMetrics));
        camel.bind("finishedJobs", new FinishedJobs(publisher, jobStore));
        camel.bind("completedJobs", new CompletedJobs(publisher, jobStore));
        camel.bind("settledJob", RouteConditions.SETTLED_JOB);
        camel.bind("parkedOutcome", RouteConditions.PARKED_OUTCOME);
        camel.bind("interruptExpiry", new InterruptExpiry(new ExpiredInterrupts(dataSource, jobStore), resultEvents, publisher,
                jobEvents, shared.checkpointRetention(), executorMetrics, settings.interruptTimeout()));
        camel.bind("readinessProbe", open(new ReadinessProbe(dataSource, settings.dragonfly(), nats, pullHealth, json)));
        camel.bind("agentRunner", new EngineRuns(new JobSpans(engine.apply(shared), telemetry), runningJobs,
                shared.checkpointRetention()));
        camel.bind("jobDeliveries", new JobDeliveries(telemetry.tracer(), shared.operationalMetrics()));
        jobWatching = open(new JobWatching(settings.dragonfly(), dataSource, json, metricsRegistry));
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    private void release() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("Cannot close {} cleanly: {}", e.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
