package io.bizmatters.agentexecutor.agent;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The limits one job runs under; a limit without a value is not enforced. */
public final class JobLimits {
    /** No limit at all: for jobs built without an event (engine tests, tools). */
    public static final JobLimits NONE = new JobLimits(new EnumMap<>(Limit.class));

    private final Map<Limit, Long> values;

    JobLimits(Map<Limit, Long> values) {
        this.values = new EnumMap<>(Limit.class);
        this.values.putAll(values);
    }

    /** The limit's value, or null when it is not enforced. */
    public Long value(Limit limit) {
        return values.get(limit);
    }

    /** The limits by field name, null where none: how a parked job's row keeps them for its resume. */
    public Map<String, Long> byField() {
        Map<String, Long> fields = new LinkedHashMap<>();
        for (Limit limit : Limit.values()) {
            fields.put(limit.field(), values.get(limit));
        }
        return fields;
    }

    /** The inverse of {@link #byField()}; a field it does not hold is no limit. */
    public static JobLimits fromFields(Map<String, ? extends Number> fields) {
        Map<Limit, Long> values = new EnumMap<>(Limit.class);
        for (Limit limit : Limit.values()) {
            Number value = fields.get(limit.field());
            if (value != null) {
                values.put(limit, value.longValue());
            }
        }
        return new JobLimits(values);
    }

    JobLimits with(Limit limit, Long value) {
        Map<Limit, Long> changed = new EnumMap<>(values);
        changed.put(limit, value);
        return new JobLimits(changed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobLimits limits && limits.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Limit limit : Limit.values()) {
            text.append(text.isEmpty() ? "" : " ").append(limit.field()).append('=')
                    .append(values.get(limit) == null ? "none" : values.get(limit));
        }
        return text.toString();
    }
}
