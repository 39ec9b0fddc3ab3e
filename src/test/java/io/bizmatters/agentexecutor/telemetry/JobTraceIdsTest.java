package io.bizmatters.agentexecutor.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobTraceIdsTest {

    @Test
    void aHexTraceIdIsTheTraceIdByTheContractsRule() {
        assertThat(JobTraceIds.forJob("7C9E6679-7425-40DE-944B-E07FC1F90AE7")).isEqualTo("7c9e6679742540de944be07fc1f90ae7");
        assertThat(JobTraceIds.forJob("abc")).isEqualTo("0".repeat(29) + "abc");
    }

    @Test
    void aTraceIdThatIsNotHexNamesTheSameTraceEveryTime() {
        String first = JobTraceIds.forJob("trace-job-1");

        assertThat(TraceId.isValid(first)).isTrue();
        assertThat(JobTraceIds.forJob("trace-job-1")).isEqualTo(first);
        assertThat(JobTraceIds.forJob("trace-job-2")).isNotEqualTo(first);
    }

    @Test
    void aRootSpanGetsTheJobsTraceIdWithTracingOnOrOff() {
        String traceHex = JobTraceIds.forJob("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        try (SdkTracerProvider sdk = SdkTracerProvider.builder().setIdGenerator(JobTraceIds.GENERATOR).build()) {
            Span recorded = JobTraceIds.startRoot(sdk.get("test").spanBuilder("delivery"), traceHex);
            assertThat(recorded.getSpanContext().getTraceId()).isEqualTo(traceHex);
            assertThat(recorded.isRecording()).isTrue();
            assertThat(sdk.get("test").spanBuilder("next").startSpan().getSpanContext().getTraceId())
                    .as("only the one root asked for it").isNotEqualTo(traceHex);
        }

        Span off = JobTraceIds.startRoot(OpenTelemetry.noop().getTracer("test").spanBuilder("delivery"), traceHex);
        assertThat(off.isRecording()).isFalse();
        assertThat(off.getSpanContext().getTraceId()).isEqualTo(traceHex);
        assertThat(off.getSpanContext().isValid()).isTrue();
        assertThat(off.getSpanContext().isSampled()).as("so no delivery span id is stored").isFalse();
    }
}
