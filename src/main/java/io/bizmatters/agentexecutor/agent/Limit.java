package io.bizmatters.agentexecutor.agent;

/**
 * The limits a job may carry in its {@code limits} object (docs/job-control.md), each with the
 * setting that gives its default and the setting ({@code <default>_CEILING}) that caps what a job
 * may ask for (their values are in application.properties; "none" means no limit).
 */
public enum Limit {
    TIMEOUT_SECONDS("timeout_seconds", "AGENT_JOB_TIMEOUT_SECONDS", 1),
    MAX_MODEL_CALLS("max_model_calls", "AGENT_MAX_MODEL_CALLS", 1),
    MAX_TOOL_CALLS("max_tool_calls", "AGENT_MAX_TOOL_CALLS", 0),
    MAX_TOTAL_TOKENS("max_total_tokens", "AGENT_MAX_TOTAL_TOKENS", 1),
    MAX_DELEGATION_DEPTH("max_delegation_depth", "AGENT_MAX_DELEGATION_DEPTH", 0);

    private final String field;
    private final String setting;
    private final long minimum;

    Limit(String field, String setting, long minimum) {
        this.field = field;
        this.setting = setting;
        this.minimum = minimum;
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

    long minimum() {
        return minimum;
    }
}
