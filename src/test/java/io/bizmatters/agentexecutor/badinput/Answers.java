package io.bizmatters.agentexecutor.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;

/** What the bad-input suite accepts as an answer; each check returns null when it is met, else the problem. */
final class Answers {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A fully qualified class name, a stack frame, an exception's name, SQL error text: what no answer may carry. */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\b(java|javax|jdk|sun|com|org|io|dev)\\.[a-z0-9]+\\.[A-Za-z]|\\tat |Exception|SQLSTATE\\s*\\w*:|ERROR:|\\[Source:");

    private final List<String> secrets;

    Answers(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A 4xx whose JSON body names a field and gives its reason in one clean line. */
    String rejected(HttpResponse<String> response) {
        if (response.statusCode() < 400 || response.statusCode() >= 500) {
            return "answered " + response.statusCode() + ": " + response.body();
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String detail = body.path("detail").asText("");
            if (detail.isBlank() || detail.contains("\n") || body.path("field").asText("").isBlank()) {
                return "the 4xx names no field in one line: " + response.body();
            }
            return clean(response.body());
        } catch (Exception e) {
            return "the 4xx body is not JSON: " + response.body();
        }
    }

    /** A failed event with a clean message and no stack trace. */
    String failedEventProblem(JsonNode event) {
        JsonNode error = event.at("/data/error");
        if (error.isMissingNode() || error.path("message").asText("").isBlank()) {
            return "not a failed event: " + event;
        }
        if (!error.path("stack_trace").asText("").isEmpty()) {
            return "the failed event carries a stack trace";
        }
        return clean(error.path("message").asText());
    }

    private String clean(String text) {
        if (INTERNALS.matcher(text).find()) {
            return "leaks internals: " + text;
        }
        if (secrets.stream().anyMatch(text::contains)) {
            return "leaks a secret";
        }
        return null;
    }
}
