package io.bizmatters.agentexecutor.execution;

import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.jobs.JobRecord;
import org.apache.camel.Predicate;

/**
 * The questions the execution routes ask of a message body, as predicates they name with
 * {@code ref}. Simple's {@code ${body.settled}} answered the same through the bean language,
 * which copies the exchange and hashes the whole body (a record: every field, the state
 * included) on every job: 3.8 % of the warm profile's samples (docs/performance.md).
 */
public final class RouteConditions {
    /** {@code settledJob}: the claimed row is finished or parked, so the job is answered, not run. */
    public static final Predicate SETTLED_JOB = exchange -> exchange.getMessage().getBody(JobRecord.class).isSettled();
    /** {@code parkedOutcome}: the engine stopped to wait for decisions rather than finishing. */
    public static final Predicate PARKED_OUTCOME = exchange -> exchange.getMessage().getBody(AgentOutcome.class).isParked();

    private RouteConditions() {
    }
}
