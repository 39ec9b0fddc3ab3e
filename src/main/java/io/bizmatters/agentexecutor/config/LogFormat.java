package io.bizmatters.agentexecutor.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

import java.util.List;
import java.util.Locale;

/**
 * Applies LOG_FORMAT: {@code text} (the default, for people) or {@code json}, one JSON object per
 * line for log pipelines, with trace_id, span_id and job_id on every line logged inside a job
 * (log4j2.properties defines both appenders; the JSON fields are in log-format.json).
 */
public final class LogFormat {
    public static final String VARIABLE = "LOG_FORMAT";
    private static final List<String> FORMATS = List.of("text", "json");

    private LogFormat() {
    }

    /** @param format the variable's value; unset or unknown means text (an unknown one is named in a warning) */
    public static void apply(String format) {
        String wanted = format == null || format.isBlank() ? "text" : format.strip().toLowerCase(Locale.ROOT);
        boolean known = FORMATS.contains(wanted);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        Appender appender = configuration.getAppender(known ? wanted : "text");
        if (appender == null) {
            return; // a configuration without our appenders (a test's own): leave it alone
        }
        LoggerConfig root = configuration.getRootLogger();
        FORMATS.forEach(root::removeAppender);
        root.addAppender(appender, null, null);
        context.updateLoggers();
        if (!known) {
            LogManager.getLogger(LogFormat.class).warn("{}={} is neither text nor json; logging text", VARIABLE, format);
        }
    }
}
