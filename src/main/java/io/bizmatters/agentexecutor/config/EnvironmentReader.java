package io.bizmatters.agentexecutor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads variables from an environment map and collects every problem instead of stopping at the
 * first, so start-up can name all of them in one message.
 */
final class EnvironmentReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvironmentReader(Map<String, String> env) {
        this.env = env;
    }

    String required(String name) {
        String value = optional(name, "");
        if (value.isEmpty()) {
            problems.add("missing required environment variable " + name);
        }
        return value;
    }

    String optional(String name, String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    /**
     * A secret that must be set but may be empty: a trust-authenticated PostgreSQL (local runs,
     * tests) has no password, yet forgetting the variable in a deployment must still stop start-up.
     */
    String requiredSecret(String name) {
        if (!env.containsKey(name)) {
            problems.add("missing required environment variable " + name + " (set it empty for a server without a password)");
        }
        return secret(name);
    }

    /** Secrets may legitimately contain surrounding blanks, so they are kept verbatim. */
    String secret(String name) {
        String value = env.get(name);
        return value == null ? "" : value;
    }

    int positiveInt(String name, int defaultValue) {
        String raw = optional(name, Integer.toString(defaultValue));
        try {
            int value = Integer.parseInt(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending value
        }
        problems.add(name + " must be a positive integer, got '" + raw + "'");
        return defaultValue;
    }

    /**
     * Reads a part of the settings that validates itself (the engine's, the retention policy), so
     * its complaint joins the one start-up message instead of stopping at the first.
     */
    <T> T section(Function<Map<String, String>, T> reader) {
        try {
            return reader.apply(env);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** A problem a section found itself, joining the one start-up message. */
    void problem(String problem) {
        problems.add(problem);
    }

    void failOnProblems() {
        if (!problems.isEmpty()) {
            throw new MissingSettings(problems);
        }
    }
}
