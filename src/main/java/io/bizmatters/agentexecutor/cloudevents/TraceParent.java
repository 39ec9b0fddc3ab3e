package io.bizmatters.agentexecutor.cloudevents;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C traceparent a result event carries, derived from the job's trace_id exactly as the
 * Python service did (docs/contract.md, "Results"): dashes removed, lower-cased, cut to 32 and left-padded with
 * zeros, then a fresh span id and the sampled flag.
 */
public final class TraceParent {
    private static final String ZEROS = "0".repeat(32);

    private TraceParent() {
    }

    public static String forTraceId(String traceId) {
        return forTraceId(traceId, null);
    }

    /**
     * @param spanId the job's span in this trace (16 hex), so a caller can join the trace; null when
     *               there is none (tracing off and no incoming traceparent): a fresh one then
     */
    public static String forTraceId(String traceId, String spanId) {
        return "00-" + traceHex(traceId) + "-" + (spanId != null ? spanId : newSpanId()) + "-01";
    }

    /** The contract's 32 hex of a trace_id; hex only when the trace_id was (a UUID, a W3C trace id). */
    public static String traceHex(String traceId) {
        String hex = traceId.replace("-", "").toLowerCase();
        if (hex.length() > 32) {
            hex = hex.substring(0, 32);
        }
        return ZEROS.substring(hex.length()) + hex;
    }

    private static String newSpanId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
