package io.bizmatters.agentexecutor.ingress.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP's answer to each kind of failure the execution path reports (docs/contract.md, section 2). */
class FailureAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FailureAnswers answers = new FailureAnswers(JSON, null);

    @Test
    void badInputIs400NamingEveryField() throws Exception {
        Exchange answered = answer(FailureKind.BAD_INPUT, new BadInput(List.of("id", "source"), "not a valid CloudEvent"), "{}");

        assertThat(status(answered)).isEqualTo(400);
        JsonNode body = body(answered);
        assertThat(body.get("detail").asText()).isEqualTo("not a valid CloudEvent");
        assertThat(body.get("field").asText()).isEqualTo("id");
        assertThat(body.get("fields")).extracting(JsonNode::asText).containsExactly("id", "source");
    }

    @Test
    void aFailedJobIs200WithItsFailedEventsData() {
        Exchange answered = answer(FailureKind.JOB_FAILURE, new JobFailure("a tool failed"), "{\"status\":\"failed\"}");

        assertThat(status(answered)).isEqualTo(200);
        assertThat(answered.getMessage().getBody(String.class)).isEqualTo("{\"status\":\"failed\"}");
    }

    @Test
    void anOutageIs503NamingTheDependencyAndNeverItsErrorText() throws Exception {
        Exchange outage = answer(FailureKind.INFRASTRUCTURE_FAULT,
                new InfrastructureFault("postgres", "FATAL: password authentication failed for user x", null), null);
        Exchange bug = answer(FailureKind.INFRASTRUCTURE_FAULT, new NullPointerException("Cannot invoke \"a.B.c()\""), null);

        assertThat(status(outage)).isEqualTo(503);
        assertThat(body(outage).get("dependency").asText()).isEqualTo("postgres");
        assertThat(body(outage).get("detail").asText()).isEqualTo("postgres is unavailable; the job is retried");
        assertThat(body(bug).get("dependency").asText()).isEqualTo("internal");
        assertThat(body(bug).toString()).doesNotContain("NullPointer", "Cannot invoke");
    }

    @Test
    void aJobRunningElsewhereIs409PromisingNoEvent() throws Exception {
        Exchange answered = answer(FailureKind.RUNNING_ELSEWHERE, new JobRunningElsewhere("job-7", "lease held"), null);

        assertThat(status(answered)).isEqualTo(409);
        JsonNode body = body(answered);
        assertThat(body.get("job_id").asText()).isEqualTo("job-7");
        assertThat(body.get("status").asText()).isEqualTo("running");
        assertThat(body.get("detail").asText()).contains("nothing is published for this request")
                .doesNotContain("is published when it finishes");
    }

    @Test
    void aRejectedResumeHasItsOwnStatus() throws Exception {
        Exchange answered = answer(FailureKind.RESUME_REJECTED, new ResumeRejected(404, "job_id", "job-8", "no such job"), null);

        assertThat(status(answered)).isEqualTo(404);
        assertThat(body(answered).get("field").asText()).isEqualTo("job_id");
        assertThat(body(answered).get("job_id").asText()).isEqualTo("job-8");
    }

    private Exchange answer(FailureKind kind, Exception failure, String failedEvent) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Authorization", "Bearer secret");
        exchange.setProperty(ReportedFailure.PROPERTY, new ReportedFailure(kind, failure, failedEvent));
        answers.answer(exchange);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("Authorization");
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        return exchange;
    }

    private static int status(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static JsonNode body(Exchange exchange) throws Exception {
        return JSON.readTree(exchange.getMessage().getBody(String.class));
    }
}
