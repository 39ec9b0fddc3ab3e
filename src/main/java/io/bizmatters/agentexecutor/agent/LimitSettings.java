package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.failure.BadInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The service-wide defaults of every {@link Limit} ({@code AGENT_JOB_TIMEOUT_SECONDS},
 * {@code AGENT_MAX_MODEL_CALLS}, ...) and their hard ceilings ({@code ..._CEILING}), and the
 * reading of a job's own {@code limits} object against them.
 */
public record LimitSettings(JobLimits defaults, JobLimits ceilings) {
    private static final String NONE = "none";

    /** @throws IllegalArgumentException naming every bad setting */
    public static LimitSettings fromEnvironment(Map<String, String> env) {
        Map<Limit, Long> defaults = new EnumMap<>(Limit.class);
        Map<Limit, Long> ceilings = new EnumMap<>(Limit.class);
        List<String> problems = new ArrayList<>();
        for (Limit limit : Limit.values()) {
            Long ceiling = setting(env, limit.ceilingSetting(), limit.defaultCeiling(), limit.minimum(), problems);
            Long value = setting(env, limit.setting(), limit.defaultValue(), limit.minimum(), problems);
            if (value != null && ceiling != null && value > ceiling) {
                problems.add(limit.setting() + " " + value + " is above " + limit.ceilingSetting() + " " + ceiling);
            }
            defaults.put(limit, value);
            ceilings.put(limit, ceiling);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new LimitSettings(new JobLimits(defaults), new JobLimits(ceilings));
    }

    /** "none" (or unset with no default) means no limit. */
    private static Long setting(Map<String, String> env, String name, Long fallback, long minimum, List<String> problems) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        if (NONE.equalsIgnoreCase(raw.strip())) {
            return null;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= minimum) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending value
        }
        problems.add(name + " must be a whole number of at least " + minimum + " or 'none', got '" + raw + "'");
        return fallback;
    }

    /**
     * A job's limits: its {@code limits} object over the defaults. Anything wrong is a
     * {@link BadInput} naming the field, e.g. {@code data.limits.max_model_calls}.
     */
    public JobLimits read(JsonNode limits) {
        if (limits == null || limits.isNull() || limits.isMissingNode()) {
            return defaults;
        }
        if (!limits.isObject()) {
            throw new BadInput("data.limits", "data.limits must be a JSON object, e.g. {\"max_model_calls\": 20}");
        }
        for (Iterator<String> names = limits.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (Arrays.stream(Limit.values()).noneMatch(l -> l.field().equals(name))) {
                throw new BadInput("data.limits." + name, "data.limits." + name + " is not a limit; the limits are "
                        + String.join(", ", Arrays.stream(Limit.values()).map(Limit::field).toList()));
            }
        }
        JobLimits job = defaults;
        for (Limit limit : Limit.values()) {
            JsonNode value = limits.get(limit.field());
            if (value != null && !value.isNull()) {
                job = job.with(limit, checked(limit, value));
            }
        }
        return job;
    }

    private long checked(Limit limit, JsonNode value) {
        String field = "data.limits." + limit.field();
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadInput(field, field + " must be a whole number, got " + value);
        }
        long figure = value.asLong();
        if (figure < limit.minimum()) {
            throw new BadInput(field, field + " must be at least " + limit.minimum() + ", got " + figure);
        }
        Long ceiling = ceilings.value(limit);
        if (ceiling != null && figure > ceiling) {
            throw new BadInput(field, field + " " + figure + " is above this service's ceiling of " + ceiling
                    + " (" + limit.ceilingSetting() + ")");
        }
        return figure;
    }
}
