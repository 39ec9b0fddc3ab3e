package io.bizmatters.agentexecutor.config;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import java.util.Map;

/** Applies LOG_LEVEL, accepting Python's level names too (WARNING, CRITICAL) since deployments set those. */
public final class LogLevel {
    private static final Map<String, String> PYTHON_NAMES = Map.of("WARNING", "WARN", "CRITICAL", "FATAL");

    private LogLevel() {
    }

    public static void apply(String name) {
        String upper = name.toUpperCase();
        Configurator.setRootLevel(Level.toLevel(PYTHON_NAMES.getOrDefault(upper, upper), Level.INFO));
    }
}
