package io.bizmatters.agentexecutor.ingress.jetstream;

import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.FailureKind;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.failure.JobRunningElsewhere;
import io.bizmatters.agentexecutor.failure.ReportedFailure;
import io.bizmatters.agentexecutor.failure.ResumeRejected;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JetStream's answer to each kind of failure the execution path reports (docs/architecture.md's table). */
class DispositionTest {
    private static final InfrastructureFault OUTAGE = new InfrastructureFault("postgres", "down", null);

    @Test
    void eachReportedKindSettlesItsMessageAsTheFailureTableSays() {
        assertThat(Disposition.of(reported(FailureKind.BAD_INPUT, new BadInput("body", "empty"), "{}"))).isEqualTo(Disposition.TERM);
        assertThat(Disposition.of(reported(FailureKind.JOB_FAILURE, new JobFailure("x"), "{}"))).isEqualTo(Disposition.ACK);
        assertThat(Disposition.of(reported(FailureKind.INFRASTRUCTURE_FAULT, OUTAGE, null))).isEqualTo(Disposition.NAK);
        assertThat(Disposition.of(reported(FailureKind.INFRASTRUCTURE_FAULT, OUTAGE, "{}")))
                .as("the last delivery, reported failed").isEqualTo(Disposition.TERM);
        assertThat(Disposition.of(reported(FailureKind.RUNNING_ELSEWHERE, new JobRunningElsewhere("j", "busy"), null)))
                .isEqualTo(Disposition.NAK);
        assertThat(Disposition.of(reported(FailureKind.RESUME_REJECTED, new ResumeRejected(409, "job_id", "j", "no"), null)))
                .isEqualTo(Disposition.TERM);
    }

    @Test
    void anExchangeWithoutAFailureIsAckedAndOneThatEndedUnhandledIsNaked() {
        Exchange done = new DefaultExchange(new DefaultCamelContext());
        assertThat(Disposition.of(done)).isEqualTo(Disposition.ACK);

        Exchange reportedExchange = new DefaultExchange(new DefaultCamelContext());
        reportedExchange.setProperty(ReportedFailure.PROPERTY, reported(FailureKind.BAD_INPUT, new BadInput("body", "empty"), null));
        assertThat(Disposition.of(reportedExchange)).isEqualTo(Disposition.TERM);

        Exchange unhandled = new DefaultExchange(new DefaultCamelContext());
        unhandled.setException(new IllegalStateException("no handler took it"));
        assertThat(Disposition.of(unhandled)).isEqualTo(Disposition.NAK);
    }

    private static ReportedFailure reported(FailureKind kind, Exception failure, String failedEvent) {
        return new ReportedFailure(kind, failure, failedEvent);
    }
}
