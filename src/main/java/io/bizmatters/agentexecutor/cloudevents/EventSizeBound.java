package io.bizmatters.agentexecutor.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        ObjectNode fitted = data;
        Set<String> cut = new HashSet<>();
        for (int size = serializedSize.apply(fitted); size > maxBytes; size = serializedSize.apply(fitted)) {
            String field = largest(fitted, cut);
            if (field == null) {
                throw new IllegalStateException("the result event of job " + data.path("job_id").asText()
                        + " is " + size + " bytes without its bulky fields, over the NATS max payload of " + maxBytes);
            }
            if (fitted == data) {
                fitted = data.deepCopy();
            }
            cut(fitted, field, size - maxBytes);
            cut.add(field);
        }
        return fitted;
    }

    private static String largest(ObjectNode data, Set<String> cut) {
        String largest = null;
        int length = 0;
        for (String field : BULKY) {
            JsonNode value = data.at(field);
            if (value.isTextual() && value.asText().length() > length && !cut.contains(field)) {
                largest = field;
                length = value.asText().length();
            }
        }
        return largest;
    }

    /**
     * Each character takes at least one byte, so dropping the excess plus the marker's largest
     * escaped size (every character escaped: two bytes) always gains enough in one cut.
     */
    private static void cut(ObjectNode data, String field, int excessBytes) {
        int slash = field.lastIndexOf('/');
        ObjectNode parent = (ObjectNode) data.at(field.substring(0, slash));
        String name = field.substring(slash + 1);
        String text = parent.get(name).asText();
        String marker = "\n[truncated from " + text.length() + " characters; the full value is at GET /jobs/"
                + data.path("job_id").asText() + "]";
        int keep = Math.max(0, text.length() - excessBytes - 2 * marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        parent.put(name, keep == 0 ? marker.substring(1) : text.substring(0, keep) + marker);
    }
}
