package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps a result event under the NATS payload limit (the server's {@code max_payload}, 1 MB by
 * default): the largest of {@code result.output}, {@code error.message} and
 * {@code error.stack_trace} is cut, with a marker saying so and where the full value is (the jobs
 * row keeps it: GET /jobs/{job_id}), until the event fits.
 */
final class EventSizeBound {
    /** The fields a result event may carry in bulk; everything else is small by construction. */
    private static final List<String> BULKY = List.of("/result/output", "/error/message", "/error/stack_trace");

    private EventSizeBound() {
    }

    /**
     * @param serializedSize the size in bytes of the event that would carry {@code data}
     * @return {@code data} itself when it fits, else a cut copy
     */
    static ObjectNode fit(ObjectNode data, int maxBytes, Function<ObjectNode, Integer> serializedSize) {
        int size = serializedSize.apply(data);
        if (size <= maxBytes) {
            return data;
        }
        ObjectNode fitted = data.deepCopy();
        // Each field's UTF-8 budget; a cut that JSON escaping leaves too large is cut again, from the original.
        Map<String, Integer> budgets = new HashMap<>();
        for (int round = 0; size > maxBytes; round++, size = serializedSize.apply(fitted)) {
            String field = largest(data, budgets);
            if (field == null || round > MAX_ROUNDS) {
                throw new IllegalStateException("the result event of job " + data.path("job_id").asText()
                        + " is " + size + " bytes even with its bulky fields cut, over the NATS max payload of " + maxBytes);
            }
            String original = data.at(field).asText();
            int budget = budgets.getOrDefault(field, utf8Length(original)) - (size - maxBytes);
            budgets.put(field, Math.max(0, budget));
            put(fitted, field, cut(original, Math.max(0, budget), data.path("job_id").asText()));
        }
        return fitted;
    }

    private static final int MAX_ROUNDS = 16;

    /** The bulky field with the largest budget left. */
    private static String largest(ObjectNode data, Map<String, Integer> budgets) {
        String largest = null;
        int length = 0;
        for (String field : BULKY) {
            JsonNode value = data.at(field);
            int left = value.isTextual() ? budgets.getOrDefault(field, utf8Length(value.asText())) : 0;
            if (left > length) {
                largest = field;
                length = left;
            }
        }
        return largest;
    }

    /** The longest prefix within {@code budget} UTF-8 bytes, marker included (its escaped size counted twice). */
    private static String cut(String text, int budget, String jobId) {
        String marker = "\n[truncated from " + text.length() + " characters; the full value is at GET /jobs/" + jobId + "]";
        int room = budget - 2 * marker.length();
        int keep = 0;
        for (int bytes = 0; keep < text.length(); keep++) {
            char c = text.charAt(keep);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            if (bytes > room) {
                break;
            }
        }
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return keep == 0 ? marker.substring(1) : text.substring(0, keep) + marker;
    }

    private static void put(ObjectNode data, String field, String value) {
        int slash = field.lastIndexOf('/');
        ((ObjectNode) data.at(field.substring(0, slash))).put(field.substring(slash + 1), value);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
