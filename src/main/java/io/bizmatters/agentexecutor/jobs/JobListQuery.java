package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads the query of {@code GET /jobs?status=&since=&limit=} (job-list.camel.yaml) into the
 * headers its SQL uses, or into a 400 that names the parameter. No value ever reaches the SQL but
 * as a bound parameter.
 */
public class JobListQuery {
    /** Exchange property holding the 400 answer when the query is wrong. */
    public static final String REJECTION = "jobListRejection";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final ObjectMapper json;

    public JobListQuery(ObjectMapper json) {
        this.json = json;
    }

    public void read(Exchange exchange) {
        Message message = exchange.getMessage();
        try {
            String status = text(message, "status");
            String since = text(message, "since");
            String limit = text(message, "limit");
            message.removeHeaders("*");
            message.setHeader("jobsStatus", status.isEmpty() ? "" : status(status));
            message.setHeader("jobsSince", since.isEmpty() ? "-infinity" : since(since));
            message.setHeader("jobsLimit", limit.isEmpty() ? DEFAULT_LIMIT : limit(limit));
        } catch (IllegalArgumentException e) {
            exchange.setProperty(REJECTION, json.createObjectNode().put("detail", e.getMessage())
                    .put("field", e.getMessage().substring(0, e.getMessage().indexOf(' '))).toString());
        }
    }

    private static String text(Message message, String name) {
        String value = message.getHeader(name, String.class);
        return value == null ? "" : value.strip();
    }

    private static String status(String raw) {
        String status = raw.toLowerCase(Locale.ROOT);
        if (Arrays.stream(JobStatus.values()).noneMatch(s -> s.column().equals(status))) {
            throw new IllegalArgumentException("status must be one of " + Arrays.stream(JobStatus.values())
                    .map(JobStatus::column).collect(Collectors.joining(", ")) + ", got '" + raw + "'");
        }
        return status;
    }

    /** An ISO-8601 instant such as 2026-12-01T10:00:00Z (or with an offset). */
    private static String since(String raw) {
        try {
            return OffsetDateTime.parse(raw).toInstant().toString();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(raw).toString();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("since must be an ISO-8601 time such as 2026-12-01T10:00:00Z, got '" + raw + "'");
            }
        }
    }

    private static int limit(String raw) {
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + raw + "'");
    }
}
