package io.bizmatters.agentexecutor.telemetry;

import io.bizmatters.agentexecutor.failure.Cancelled;
import io.bizmatters.agentexecutor.failure.FailureKind;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.ingress.Deliveries;
import org.apache.camel.Exchange;

/**
 * How a delivery ended, for its end line and its span: {@code completed}, {@code interrupted} (the
 * job parked on tool calls that wait for decisions), {@code republished} (the job had finished or
 * parked before), {@code failed}, {@code cancelled}, {@code rejected} (bad input), {@code retried} (an
 * outage: the job is redelivered) or {@code running_elsewhere} (another delivery holds the job).
 *
 * @param errorType the class that failed the job, as its failed event names it; null when none did
 */
record DeliveryOutcome(String status, String errorType) {

    static DeliveryOutcome of(Exchange exchange, Delivery delivery) {
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure == null) {
            String status = !delivery.ran() ? "republished" : delivery.parked() ? "interrupted" : "completed";
            return new DeliveryOutcome(status, null);
        }
        FailureKind kind = FailureKind.of(failure);
        String status = switch (kind) {
            case RUNNING_ELSEWHERE -> "running_elsewhere";
            case BAD_INPUT -> "rejected";
            case JOB_FAILURE -> failure instanceof Cancelled ? "cancelled" : "failed";
            default -> Deliveries.isFinalDelivery(exchange) ? "failed" : "retried";
        };
        return new DeliveryOutcome(status, kind == FailureKind.RUNNING_ELSEWHERE ? null : errorType(failure));
    }

    boolean isError() {
        return errorType != null;
    }

    /** The cause a {@link JobFailure} wraps, as ResultEvents names it; a fault with its dependency. */
    private static String errorType(Throwable failure) {
        Throwable named = failure instanceof JobFailure && failure.getCause() != null ? failure.getCause() : failure;
        return named instanceof InfrastructureFault fault
                ? "InfrastructureFault(" + fault.dependency() + ")" : named.getClass().getSimpleName();
    }
}
