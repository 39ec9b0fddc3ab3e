package io.bizmatters.agentexecutor.agent;

/**
 * The limits a job may carry in its {@code limits} object (docs/job-control.md), each with the
 * setting that gives its default and the setting ({@code <default>_CEILING}) that caps what a job
 * may ask for. A null default or ceiling means none.
 */
public enum Limit {
    TIMEOUT_SECONDS("timeout_seconds", "AGENT_JOB_TIMEOUT_SECONDS", 3600L, 1, 7 * 24 * 3600L),
    MAX_MODEL_CALLS("max_model_calls", "AGENT_MAX_MODEL_CALLS", 200L, 1, 10_000L),
    MAX_TOOL_CALLS("max_tool_calls", "AGENT_MAX_TOOL_CALLS", 500L, 0, 20_000L),
    MAX_TOTAL_TOKENS("max_total_tokens", "AGENT_MAX_TOTAL_TOKENS", null, 1, null),
    MAX_DELEGATION_DEPTH("max_delegation_depth", "AGENT_MAX_DELEGATION_DEPTH", 3L, 0, 10L);

    private final String field;
    private final String setting;
    private final Long defaultValue;
    private final long minimum;
    private final Long defaultCeiling;

    Limit(String field, String setting, Long defaultValue, long minimum, Long defaultCeiling) {
        this.field = field;
        this.setting = setting;
        this.defaultValue = defaultValue;
        this.minimum = minimum;
        this.defaultCeiling = defaultCeiling;
    }

    /** The name in the event's {@code limits} object and in messages. */
    public String field() {
        return field;
    }

    public String setting() {
        return setting;
    }

    public String ceilingSetting() {
        return setting + "_CEILING";
    }

    Long defaultValue() {
        return defaultValue;
    }

    long minimum() {
        return minimum;
    }

    Long defaultCeiling() {
        return defaultCeiling;
    }
}
