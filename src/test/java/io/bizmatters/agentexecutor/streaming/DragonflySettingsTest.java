package io.bizmatters.agentexecutor.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DragonflySettingsTest {
    @Test
    void thePasswordNeverAppearsWhenTheSettingsAreLogged() {
        assertThat(new DragonflySettings("h", 6379, "hunter2").toString())
                .isEqualTo("DragonflySettings[h:6379, password set]");
        assertThat(new DragonflySettings("h", 6379, "").password()).isNull();
    }

    @Test
    void badSettingsNameTheVariable() {
        assertThatThrownBy(() -> new DragonflySettings(" ", 6379, null)).hasMessageContaining("DRAGONFLY_HOST");
        assertThatThrownBy(() -> new DragonflySettings("h", 70000, null)).hasMessageContaining("DRAGONFLY_PORT");
    }
}
