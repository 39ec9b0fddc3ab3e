package io.bizmatters.agentexecutor.cloudevents;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TraceParentTest {

    @ParameterizedTest
    @CsvSource({
            "4BF92F35-77B3-4DA6-A3CE-929D0E0E4736,   4bf92f3577b34da6a3ce929d0e0e4736",
            "abc,                                    00000000000000000000000000000abc",
            "0123456789abcdef0123456789abcdef-tail,  0123456789abcdef0123456789abcdef",
            "trace-123,                              000000000000000000000000trace123",
    })
    void theTraceIdBecomes32CharactersDashesRemovedLowerCasedCutAndZeroPadded(String traceId, String expected) {
        assertThat(expected).hasSize(32);
        assertThat(TraceParent.forTraceId(traceId)).matches("00-" + expected + "-[0-9a-f]{16}-01");
    }
}
