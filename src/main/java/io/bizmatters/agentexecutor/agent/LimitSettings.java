package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.bizmatters.agentexecutor.config.SettingsReader;
import io.bizmatters.agentexecutor.failure.BadInput;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The service-wide defaults of every {@link Limit} ({@code AGENT_JOB_TIMEOUT_SECONDS},
 * {@code AGENT_MAX_MODEL_CALLS}, ...) and their hard ceilings ({@code ..._CEILING}), with their
 * defaults in application.properties, and the reading of a job's own {@code limits} object against them.
 */
public record LimitSettings(JobLimits defaults, JobLimits ceilings) {
    /** The same reading over a given environment, for tests and tools; start-up uses {@link #from}. */
    public static LimitSettings fromEnvironment(Map<String, String> env) {
        return SettingsReader.read(env, LimitSettings::from);
    }

    /** Each setting a whole number of at least the limit's minimum, or "none" for no limit. */
    public static LimitSettings from(SettingsReader reader) {
        Map<Limit, Long> defaults = new EnumMap<>(Limit.class);
        Map<Limit, Long> ceilings = new EnumMap<>(Limit.class);
        for (Limit limit : Limit.values()) {
            Long ceiling = reader.atLeastOrNone(limit.ceilingSetting(), limit.minimum());
            Long value = reader.atLeastOrNone(limit.setting(), limit.minimum());
            if (value != null && ceiling != null && value > ceiling) {
                reader.problem(limit.setting() + " " + value + " is above " + limit.ceilingSetting() + " " + ceiling);
            }
            defaults.put(limit, value);
            ceilings.put(limit, ceiling);
        }
        return new LimitSettings(new JobLimits(defaults), new JobLimits(ceilings));
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
