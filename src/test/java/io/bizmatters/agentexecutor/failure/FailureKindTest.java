package io.bizmatters.agentexecutor.failure;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Each failure type knows its kind; nothing else tells them apart. */
class FailureKindTest {

    @Test
    void eachFailureTypeSaysItsKindAndWhetherItEndsTheJob() {
        assertThat(FailureKind.of(new BadInput("data.job_id", "data.job_id is required"))).isEqualTo(FailureKind.BAD_INPUT);
        assertThat(FailureKind.of(new JobFailure("a tool failed"))).isEqualTo(FailureKind.JOB_FAILURE);
        assertThat(FailureKind.of(new Cancelled("by the caller"))).isEqualTo(FailureKind.JOB_FAILURE);
        assertThat(FailureKind.of(new Timeout("past the deadline"))).isEqualTo(FailureKind.JOB_FAILURE);
        assertThat(FailureKind.of(new LimitExceeded("model calls"))).isEqualTo(FailureKind.JOB_FAILURE);
        assertThat(FailureKind.of(new InterruptExpired(Duration.ofSeconds(5)))).isEqualTo(FailureKind.JOB_FAILURE);
        assertThat(FailureKind.of(new InfrastructureFault("nats", "down", null))).isEqualTo(FailureKind.INFRASTRUCTURE_FAULT);
        assertThat(FailureKind.of(new JobRunningElsewhere("j", "busy"))).isEqualTo(FailureKind.RUNNING_ELSEWHERE);
        assertThat(FailureKind.of(new ResumeRejected(409, "job_id", "j", "not waiting"))).isEqualTo(FailureKind.RESUME_REJECTED);
        assertThat(FailureKind.of(new IllegalStateException("a bug"))).isEqualTo(FailureKind.UNFORESEEN);

        assertThat(FailureKind.values()).filteredOn(FailureKind::endsTheJob)
                .containsExactlyInAnyOrder(FailureKind.BAD_INPUT, FailureKind.JOB_FAILURE);
    }

    @Test
    void ourFailureIsFoundInsideWhatALibraryWrappedItIn() {
        InfrastructureFault outage = new InfrastructureFault("model", "unavailable", null);
        RuntimeException wrapped = new RuntimeException("node failed", new CompletionException(outage));

        assertThat(ClassifiedFailure.within(wrapped)).containsSame(outage);
        assertThat(ClassifiedFailure.within(new RuntimeException("node failed", new IllegalStateException()))).isEmpty();
    }

    @Test
    void onlyAnOutageThatEndedWithoutAFailedEventIsRetried() {
        InfrastructureFault outage = new InfrastructureFault("postgres", "down", null);
        assertThat(new ReportedFailure(FailureKind.INFRASTRUCTURE_FAULT, outage, null).retried()).isTrue();
        assertThat(new ReportedFailure(FailureKind.INFRASTRUCTURE_FAULT, outage, "{\"status\":\"failed\"}").retried()).isFalse();
        assertThat(new ReportedFailure(FailureKind.JOB_FAILURE, new JobFailure("x"), "{}").retried()).isFalse();
    }
}
