package io.bizmatters.agentexecutor.deployment;

import io.bizmatters.agentexecutor.publishing.ResultEventPublisher;
import io.bizmatters.agentexecutor.config.MissingSettings;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.Settings;
import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamTopology;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the deployment must agree with in the service itself: its environment variables, port,
 * probe paths and JetStream set-up. Wherever the service has the answer in code, it comes from
 * there (its settings readers, its topology constants), so a change in the service shows up
 * here instead of in production.
 */
final class ServiceContract {

    /** What the {@code migrate} command (the init container) reads: PostgresSettings, nothing else. */
    static final Set<String> MIGRATION_ENVIRONMENT = variablesRead(PostgresSettings::fromEnvironment);

    /** Every environment variable the service reads, learned by letting its settings read a recording map. */
    static final Set<String> READ_BY_SERVICE = union(variablesRead(Settings::fromEnvironment), MIGRATION_ENVIRONMENT);

    /** The variables a manifest may give the service. */
    static final Set<String> ENVIRONMENT = READ_BY_SERVICE;

    /** Those the service cannot start without: each is named by start-up's complaint about an empty environment. */
    static final Set<String> REQUIRED_ENVIRONMENT = missingFromEmpty(Settings::fromEnvironment);

    /** What the {@code migrate} command (the init container) cannot run without. */
    static final Set<String> REQUIRED_FOR_MIGRATIONS = missingFromEmpty(PostgresSettings::fromEnvironment);

    /**
     * Never in a manifest in clear: they come from Secrets. A deployment decision, not the
     * service's: it reads API keys like any other variable.
     */
    static final Set<String> SECRET_ENVIRONMENT = Set.of(
            "POSTGRES_PASSWORD", "DRAGONFLY_PASSWORD", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "API_TOKEN");

    /**
     * Lets openai/anthropic agents run on a canned offline model when no key is set: for local
     * runs only. Production must fail a job loudly when its provider key is missing.
     */
    static final String OFFLINE_MODEL_SWITCH = "AGENT_OFFLINE_MODEL";

    /** The service's settings when only the required variables are set: its defaults. */
    static final Settings DEFAULTS = Settings.fromEnvironment(placeholdersFor(REQUIRED_ENVIRONMENT));

    static final int PORT = DEFAULTS.httpPort();
    static final String HEALTH_PATH = "/health";
    static final String READY_PATH = "/ready";
    static final String METRICS_PATH = "/metrics";

    static final String JOB_STREAM = DEFAULTS.natsStreamName();
    static final String JOB_SUBJECTS = "agent.execute.*";
    static final String RESULT_STREAM = ResultEventPublisher.STATUS_STREAM;
    static final String RESULT_SUBJECTS = "agent.status.*";
    static final Duration STREAM_MAX_AGE = JetStreamTopology.stream(JOB_STREAM, JOB_SUBJECTS).getMaxAge();
    static final String CONSUMER = DEFAULTS.natsConsumerGroup();
    static final Duration ACK_WAIT = JetStreamTopology.ACK_WAIT;
    static final long MAX_DELIVER = JetStreamTopology.MAX_DELIVER;
    static final long MAX_ACK_PENDING = JetStreamTopology.MAX_ACK_PENDING;

    private ServiceContract() {
    }

    /** Every value a placeholder: enough for the settings readers, which only check presence and shape. */
    static Map<String, String> placeholdersFor(Set<String> names) {
        Map<String, String> environment = new HashMap<>();
        names.forEach(name -> environment.put(name, "1"));
        return environment;
    }

    private static Set<String> variablesRead(Function<Map<String, String>, ?> reader) {
        RecordingEnvironment environment = new RecordingEnvironment(Map.of());
        try {
            reader.apply(environment);
        } catch (MissingSettings expected) {
            // An empty environment lacks the required variables; every reader has still been asked.
        }
        return environment.read();
    }

    private static Set<String> missingFromEmpty(Function<Map<String, String>, ?> reader) {
        Set<String> required = new HashSet<>();
        try {
            reader.apply(Map.of());
        } catch (MissingSettings complaint) {
            for (String name : READ_BY_SERVICE) {
                Pattern named = Pattern.compile("\\b" + name + "\\b");
                if (complaint.problems().stream().anyMatch(problem -> named.matcher(problem).find())) {
                    required.add(name);
                }
            }
        }
        if (required.isEmpty()) {
            throw new AssertionError("the service started from an empty environment; nothing is required any more?");
        }
        return Set.copyOf(required);
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return Set.copyOf(all);
    }
}
