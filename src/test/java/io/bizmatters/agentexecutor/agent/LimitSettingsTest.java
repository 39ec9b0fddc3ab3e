package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.config.MissingSettings;
import io.bizmatters.agentexecutor.failure.BadInput;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withoutSettingsTheIssuesDefaultsApplyAndTokensAreUnlimited() {
        JobLimits defaults = LimitSettings.fromEnvironment(Map.of()).defaults();

        assertThat(defaults.value(Limit.TIMEOUT_SECONDS)).isEqualTo(3600L);
        assertThat(defaults.value(Limit.MAX_MODEL_CALLS)).isEqualTo(200L);
        assertThat(defaults.value(Limit.MAX_TOOL_CALLS)).isEqualTo(500L);
        assertThat(defaults.value(Limit.MAX_TOTAL_TOKENS)).isNull();
        assertThat(defaults.value(Limit.MAX_DELEGATION_DEPTH)).isEqualTo(3L);
    }

    @Test
    void aJobsLimitsOverrideTheDefaultsFieldByField() throws Exception {
        LimitSettings settings = LimitSettings.fromEnvironment(Map.of("AGENT_MAX_TOTAL_TOKENS", "100000",
                "AGENT_MAX_TOOL_CALLS", "none"));

        JobLimits job = settings.read(JSON.readTree("{\"max_model_calls\": 20, \"timeout_seconds\": null}"));

        assertThat(job.value(Limit.MAX_MODEL_CALLS)).isEqualTo(20L);
        assertThat(job.value(Limit.TIMEOUT_SECONDS)).isEqualTo(3600L);
        assertThat(job.value(Limit.MAX_TOTAL_TOKENS)).isEqualTo(100000L);
        assertThat(job.value(Limit.MAX_TOOL_CALLS)).isNull();
        assertThat(settings.read(null)).isEqualTo(settings.defaults());
    }

    @Test
    void aLimitAboveItsCeilingIsRejectedNamingTheSetting() throws Exception {
        LimitSettings settings = LimitSettings.fromEnvironment(Map.of("AGENT_MAX_TOTAL_TOKENS_CEILING", "5000"));

        assertThatThrownBy(() -> settings.read(JSON.readTree("{\"max_total_tokens\": 5001}")))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo("data.limits.max_total_tokens"))
                .hasMessageContaining("AGENT_MAX_TOTAL_TOKENS_CEILING");
    }

    @Test
    void badSettingsAreNamedTogether() {
        assertThatThrownBy(() -> LimitSettings.fromEnvironment(Map.of("AGENT_MAX_MODEL_CALLS", "0",
                "AGENT_MAX_DELEGATION_DEPTH", "4", "AGENT_MAX_DELEGATION_DEPTH_CEILING", "2")))
                .isInstanceOf(MissingSettings.class)
                .hasMessageContaining("AGENT_MAX_MODEL_CALLS must be a whole number of at least 1")
                .hasMessageContaining("AGENT_MAX_DELEGATION_DEPTH 4 is above AGENT_MAX_DELEGATION_DEPTH_CEILING 2");
    }
}
