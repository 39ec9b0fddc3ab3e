package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.agent.ResumeRequest;
import io.bizmatters.agentexecutor.failure.ResumeRejected;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a resume against the calls a parked job waits on, and converts decisions to and from the
 * jobs row's {@code decisions} column ({@code {tool_call_id: {type, args, message}}}).
 */
final class DecisionCheck {
    private DecisionCheck() {
    }

    /**
     * Why the resume cannot apply to these pending calls (one decision for each of them, of a type
     * its tool allows), or empty when it applies.
     */
    static Optional<ResumeRejected> problem(String jobId, JsonNode pending, ResumeRequest request) {
        Map<String, JsonNode> waiting = new LinkedHashMap<>();
        pending.forEach(call -> waiting.put(call.path("tool_call_id").asText(), call));
        Set<String> decided = new HashSet<>();
        for (int i = 0; i < request.decisions().size(); i++) {
            Decision decision = request.decisions().get(i);
            String path = "decisions[" + i + "]";
            JsonNode call = waiting.get(decision.toolCallId());
            if (call == null) {
                return reject(jobId, path + ".tool_call_id", path + ".tool_call_id '" + decision.toolCallId()
                        + "' is not a call job " + jobId + " waits on; it waits on: " + String.join(", ", waiting.keySet()));
            }
            if (!decided.add(decision.toolCallId())) {
                return reject(jobId, path + ".tool_call_id", path + ".tool_call_id '" + decision.toolCallId() + "' is decided twice");
            }
            List<String> allowed = new ArrayList<>();
            call.path("allowed_decisions").forEach(type -> allowed.add(type.asText()));
            if (!allowed.contains(decision.type().wireName())) {
                return reject(jobId, path + ".type", path + ".type '" + decision.type().wireName() + "' is not allowed for "
                        + call.path("tool").asText() + " call " + decision.toolCallId() + "; allowed: " + String.join(", ", allowed));
            }
        }
        List<String> undecided = waiting.keySet().stream().filter(id -> !decided.contains(id)).toList();
        if (!undecided.isEmpty()) {
            return reject(jobId, "decisions", "decisions has none for " + String.join(", ", undecided)
                    + "; one resume must decide every call job " + jobId + " waits on: " + String.join(", ", waiting.keySet()));
        }
        return Optional.empty();
    }

    private static Optional<ResumeRejected> reject(String jobId, String field, String message) {
        return Optional.of(new ResumeRejected(400, field, jobId, message));
    }

    static ObjectNode toJson(List<Decision> decisions, ObjectMapper json) {
        ObjectNode byCall = json.createObjectNode();
        for (Decision decision : decisions) {
            ObjectNode node = byCall.putObject(decision.toolCallId()).put("type", decision.type().wireName());
            if (decision.editedArguments() != null) {
                try {
                    node.set("args", json.readTree(decision.editedArguments()));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("edited arguments are not JSON", e);
                }
            }
            if (decision.message() != null) {
                node.put("message", decision.message());
            }
        }
        return byCall;
    }

    static Map<String, Decision> fromJson(JsonNode byCall) {
        Map<String, Decision> decisions = new LinkedHashMap<>();
        byCall.properties().forEach(entry -> {
            JsonNode node = entry.getValue();
            decisions.put(entry.getKey(), new Decision(entry.getKey(),
                    Decision.Type.ofWireName(node.path("type").asText()).orElseThrow(),
                    node.has("args") ? node.get("args").toString() : null,
                    node.hasNonNull("message") ? node.get("message").asText() : null));
        });
        return decisions;
    }
}
