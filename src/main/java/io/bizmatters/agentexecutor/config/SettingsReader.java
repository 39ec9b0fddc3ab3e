package io.bizmatters.agentexecutor.config;

import org.apache.camel.spi.PropertiesComponent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;

/**
 * Reads the service's settings from its Camel properties, where application.properties declares
 * each environment variable under its own name with its default, and collects every problem
 * instead of stopping at the first, so start-up names all of them in one message. Messages name
 * the variable and, for anything but a secret, the value given.
 */
public final class SettingsReader {
    private static final String NONE = "none";

    private final PropertiesComponent properties;
    private final List<String> problems = new ArrayList<>();

    public SettingsReader(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** A reader of application.properties over {@code environment}, for the migrate command and for tests. */
    public static SettingsReader of(Map<String, String> environment) {
        return new SettingsReader(ServiceProperties.of(environment));
    }

    /** One capability's settings, read over {@code environment} and failing on any bad one: every {@code fromEnvironment}. */
    public static <T> T read(Map<String, String> environment, Function<SettingsReader, T> from) {
        SettingsReader reader = of(environment);
        T settings = from.apply(reader);
        reader.failOnProblems();
        return settings;
    }

    /** A variable without a default; blank counts as missing. */
    public String required(String name) {
        String value = raw(name).map(String::strip).orElse("");
        if (value.isEmpty()) {
            problems.add("missing required environment variable " + name);
        }
        return value;
    }

    /**
     * A secret that must be set but may be empty: a trust-authenticated PostgreSQL (local runs,
     * tests) has no password, yet forgetting the variable in a deployment must still stop start-up.
     */
    public String requiredSecret(String name) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            problems.add("missing required environment variable " + name + " (set it empty for a server without a password)");
        }
        return value.orElse("");
    }

    /** A variable with its default in application.properties, stripped. */
    public String text(String name) {
        return declared(name).strip();
    }

    /** Secrets may legitimately contain surrounding blanks, so they are kept verbatim; empty when unset. */
    public String secret(String name) {
        return declared(name);
    }

    public int positiveInt(String name) {
        Long value = wholeNumber(name, 1, false, "a positive integer");
        return value == null ? 1 : (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** A whole number of at least {@code minimum} (a count that may be 0, a duration that may not). */
    public long atLeast(String name, long minimum) {
        Long value = wholeNumber(name, minimum, false, "a whole number of at least " + minimum);
        return value == null ? minimum : value;
    }

    /** Like {@link #atLeast}, or {@code none} (null): a limit that may be switched off. */
    public Long atLeastOrNone(String name, long minimum) {
        return wholeNumber(name, minimum, true, "a whole number of at least " + minimum + " or 'none'");
    }

    /** A problem a settings class found itself (a combination, a file), joining the one start-up message. */
    public void problem(String problem) {
        problems.add(problem);
    }

    /** @throws MissingSettings naming every problem found so far */
    public void failOnProblems() {
        if (!problems.isEmpty()) {
            throw new MissingSettings(problems);
        }
    }

    private Long wholeNumber(String name, long minimum, boolean noneAllowed, String expected) {
        String raw = text(name);
        if (noneAllowed && NONE.equalsIgnoreCase(raw)) {
            return null;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= minimum) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending value
        }
        problems.add(name + " must be " + expected + ", got '" + raw + "'");
        return noneAllowed ? null : minimum;
    }

    private String declared(String name) {
        return raw(name).orElseGet(() -> {
            problems.add(name + " has no default in application.properties");
            return "";
        });
    }

    /** Empty when the variable has no value and no default, or application.properties does not declare it. */
    private Optional<String> raw(String name) {
        try {
            return Optional.of(properties.parseUri("{{" + name + "}}"));
        } catch (IllegalArgumentException unresolved) {
            return Optional.empty();
        }
    }
}
