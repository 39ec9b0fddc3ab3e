package io.bizmatters.agentexecutor.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DragonflySettingsTest {
    @Test
    void readsTheContractVariablesWithTheirDefaults() {
        assertThat(DragonflySettings.fromEnvironment(Map.of("DRAGONFLY_HOST", "dragonfly.svc")))
                .isEqualTo(new DragonflySettings("dragonfly.svc", 6379, null));
        assertThat(DragonflySettings.fromEnvironment(
                Map.of("DRAGONFLY_HOST", "h", "DRAGONFLY_PORT", "16380", "DRAGONFLY_PASSWORD", "pw")).port())
                .isEqualTo(16380);
    }

    @Test
    void thePasswordNeverAppearsWhenTheSettingsAreLogged() {
        assertThat(new DragonflySettings("h", 6379, "hunter2").toString())
                .isEqualTo("DragonflySettings[h:6379, password set]");
    }

    @Test
    void badSettingsNameTheVariable() {
        assertThatThrownBy(() -> DragonflySettings.fromEnvironment(Map.of()))
                .hasMessageContaining("DRAGONFLY_HOST");
        assertThatThrownBy(() -> DragonflySettings.fromEnvironment(Map.of("DRAGONFLY_HOST", "h", "DRAGONFLY_PORT", "x")))
                .hasMessageContaining("DRAGONFLY_PORT");
    }
}
