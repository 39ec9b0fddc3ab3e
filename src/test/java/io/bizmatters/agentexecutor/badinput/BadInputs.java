package io.bizmatters.agentexecutor.badinput;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The bad inputs of the suite, by class (issue 14, items 5-11): each one an event body, with the
 * headers and path it is sent with over HTTP, and whether it also goes over NATS.
 */
final class BadInputs {
    /** One input: {@code jobId} is the id a failed event names ("unknown" when none can be read). */
    record Input(String name, String body, List<String> headers, String query, boolean overNats, String jobId) {
    }

    static final String FORGED = "2026-01-01T00:00:00,000 INFO  [main] ExecutorApplication - FORGED LINE";

    private BadInputs() {
    }

    static String definition(String provider) {
        return """
                {"nodes": [{"id": "orchestrator", "type": "Orchestrator",
                  "config": {"name": "Test Orchestrator", "system_prompt": "Answer briefly.",
                             "model": {"provider": "%s", "model": "gpt-4.1-mini"}, "tools": []}}]}""".formatted(provider);
    }

    static String event(String jobId, String traceId, String definition, String payload) {
        return "{\"trace_id\": " + traceId + ", \"job_id\": " + jobId + ", \"agent_definition\": " + definition
                + ", \"input_payload\": " + payload + "}";
    }

    static String structured(String data) {
        return "{\"specversion\": \"1.0\", \"type\": \"dev.my-platform.agent.execute\", \"source\": \"nats://agent.execute.test\","
                + " \"id\": \"" + UUID.randomUUID() + "\", \"data\": " + data + "}";
    }

    static String quoted(String id) {
        return "\"" + id + "\"";
    }

    static String payload(String role, String content) {
        return "{\"messages\": [{\"role\": \"" + role + "\", \"content\": \"" + content + "\"}]}";
    }

    static String goodData(String jobId) {
        return event(quoted(jobId), quoted("trace-" + jobId), definition("openai"), payload("user", "Say hello"));
    }

    static List<Input> all() {
        List<Input> inputs = new ArrayList<>();
        String json = "Content-Type";
        // The envelope: not JSON, not one document, not a CloudEvent.
        String good = structured(goodData("j-" + UUID.randomUUID()));
        envelope(inputs, "empty body", "", true);
        envelope(inputs, "not JSON", "{not json", true);
        envelope(inputs, "truncated JSON", good.substring(0, good.length() / 2), true);
        envelope(inputs, "a second document after the event", good + " {\"job_id\": \"x\"}", true);
        envelope(inputs, "trailing garbage", good + " trailing", true);
        envelope(inputs, "a JSON array", "[" + good + "]", true);
        envelope(inputs, "a JSON string", "\"hello\"", true);
        envelope(inputs, "a JSON number", "42", true);
        envelope(inputs, "JSON null", "null", true);
        envelope(inputs, "nesting 5000 deep", "[".repeat(5000) + "]".repeat(5000), true);
        envelope(inputs, "specversion 2.0", good.replace("\"specversion\": \"1.0\"", "\"specversion\": \"2.0\""), true);
        envelope(inputs, "numeric specversion", good.replace("\"specversion\": \"1.0\"", "\"specversion\": 1.0"), true);
        envelope(inputs, "no id", good.replaceFirst("\"id\": \"[^\"]+\", ", ""), true);
        envelope(inputs, "no id, source or type", "{\"specversion\": \"1.0\", \"data\": " + goodData("j-" + UUID.randomUUID()) + "}", true);
        envelope(inputs, "a source that is no URI", good.replace("nats://agent.execute.test", "::not a uri::"), true);
        envelope(inputs, "no specversion (read as bare data) and no job fields", "{\"id\": \"1\", \"source\": \"s\", \"type\": \"t\"}", true);
        envelope(inputs, "no data", "{\"specversion\": \"1.0\", \"type\": \"t\", \"source\": \"s\", \"id\": \"1\"}", true);
        envelope(inputs, "data null", structured("null"), true);
        envelope(inputs, "data a string that is not JSON", structured("\"not json\""), true);
        envelope(inputs, "data an array", structured("[1, 2]"), true);
        envelope(inputs, "data a number", structured("7"), true);
        inputs.add(new Input("bare data sent as cloudevents+json", goodData("j-" + UUID.randomUUID()),
                List.of(json, "application/cloudevents+json"), null, false, "unknown"));
        // Over HTTP only: content types, the query string and binary-mode headers.
        for (String type : List.of("multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/html",
                "text/plain", "application/xml", "application/octet-stream")) {
            inputs.add(new Input("Content-Type " + type, good, List.of(json, type), null, false, "unknown"));
        }
        inputs.add(new Input("ce-specversion in the query string", good, List.of(json, "application/json"),
                "ce-specversion=2.0", false, "unknown"));
        inputs.add(new Input("any query string", good, List.of(json, "application/json"), "debug=1", false, "unknown"));
        String binaryData = goodData("j-" + UUID.randomUUID());
        inputs.add(new Input("binary mode without ce-id", binaryData, List.of(json, "application/json", "ce-specversion", "1.0",
                "ce-type", "t", "ce-source", "s"), null, false, "unknown"));
        inputs.add(new Input("binary mode ce-specversion 2.0", binaryData, List.of(json, "application/json", "ce-specversion", "2.0",
                "ce-id", "1", "ce-type", "t", "ce-source", "s"), null, false, "unknown"));
        inputs.add(new Input("binary mode without any attribute but specversion", binaryData, List.of(json, "application/json",
                "ce-specversion", "1.0"), null, false, "unknown"));
        inputs.add(new Input("binary mode with a body that is not JSON", "{nope", List.of(json, "application/json",
                "ce-specversion", "1.0", "ce-id", "1", "ce-type", "t", "ce-source", "s"), null, false, "unknown"));
        // The JobExecutionEvent's fields.
        String def = definition("openai");
        String hello = payload("user", "hi");
        field(inputs, "no job_id", "{\"trace_id\": \"t\", \"agent_definition\": " + def + ", \"input_payload\": " + hello + "}", "unknown");
        field(inputs, "no field at all", "{}", "unknown");
        field(inputs, "job_id a number", event("17", quoted("t"), def, hello), "unknown");
        field(inputs, "job_id an object", event("{\"a\": 1}", quoted("t"), def, hello), "unknown");
        field(inputs, "blank job_id", event(quoted("   "), quoted("t"), def, hello), "unknown");
        field(inputs, "NUL in job_id", event(quoted("job\\u0000x"), quoted("t"), def, hello), "unknown");
        field(inputs, "newline and a forged log line in job_id", event(quoted("job\\n" + FORGED), quoted("t"), def, hello), "unknown");
        field(inputs, "ANSI escapes in job_id", event(quoted("job\\u001b[31mred\\u001b[0m"), quoted("t"), def, hello), "unknown");
        field(inputs, "carriage return in job_id", event(quoted("job\\rX"), quoted("t"), def, hello), "unknown");
        field(inputs, "a 300-character job_id", event(quoted("j".repeat(300)), quoted("t"), def, hello), "unknown");
        field(inputs, "a 100000-character job_id", event(quoted("j".repeat(100_000)), quoted("t"), def, hello), "unknown");
        field(inputs, "a lone surrogate in job_id", event(quoted("job\\ud800x"), quoted("t"), def, hello), null);
        for (String trace : List.of("t\\u0000x", "t\\nx", "t\\tx", "t".repeat(1000), "")) {
            field(inputs, "bad trace_id " + trace.length(), event(quoted("j-" + UUID.randomUUID()), quoted(trace), def, hello), null);
        }
        field(inputs, "trace_id a list", event(quoted("j-" + UUID.randomUUID()), "[\"t\"]", def, hello), null);
        field(inputs, "agent_definition empty", event(quoted("j-" + UUID.randomUUID()), quoted("t"), "{}", hello), null);
        field(inputs, "agent_definition an array", event(quoted("j-" + UUID.randomUUID()), quoted("t"), "[1]", hello), null);
        field(inputs, "agent_definition a string", event(quoted("j-" + UUID.randomUUID()), quoted("t"), "\"x\"", hello), null);
        field(inputs, "input_payload a string", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, "\"hi\""), null);
        field(inputs, "input_payload empty", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, "{}"), null);
        field(inputs, "NUL in a message", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, payload("user", "a\\u0000b")), null);
        field(inputs, "NUL in a message role", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, payload("us\\u0000er", "hi")), null);
        field(inputs, "NUL in a key", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, "{\"messages\": [], \"k\\u0000\": 1}"), null);
        field(inputs, "NUL in the provider name", event(quoted("j-" + UUID.randomUUID()), quoted("t"), definition("open\\u0000ai"), hello), null);
        // Claimed, then rejected by the engine: a 400 and a failed event over both ingresses.
        field(inputs, "an unknown message role", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, payload("robot", "hi")), null);
        field(inputs, "a role with a newline", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, payload("x\\n" + FORGED, "hi")), null);
        field(inputs, "an unknown provider", event(quoted("j-" + UUID.randomUUID()), quoted("t"), definition("gemini"), hello), null);
        field(inputs, "a provider with an escape", event(quoted("j-" + UUID.randomUUID()), quoted("t"), definition("x\\u001b[2J"), hello), null);
        field(inputs, "no messages", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, "{\"messages\": []}"), null);
        field(inputs, "messages an object", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, "{\"messages\": {}}"), null);
        field(inputs, "a message without content", event(quoted("j-" + UUID.randomUUID()), quoted("t"), def, "{\"messages\": [{\"role\": \"user\"}]}"), null);
        field(inputs, "no nodes", event(quoted("j-" + UUID.randomUUID()), quoted("t"), "{\"nodes\": []}", hello), null);
        field(inputs, "a node without a model", event(quoted("j-" + UUID.randomUUID()), quoted("t"),
                "{\"nodes\": [{\"id\": \"o\", \"type\": \"Orchestrator\", \"config\": {\"name\": \"O\", \"system_prompt\": \"s\"}}]}", hello), null);
        field(inputs, "a temperature that is a word", event(quoted("j-" + UUID.randomUUID()), quoted("t"),
                def.replace("\"model\": \"gpt-4.1-mini\"", "\"model\": \"gpt-4.1-mini\", \"temperature\": \"hot\""), hello), null);
        field(inputs, "a tool script with a 200-deep type hint", event(quoted("j-" + UUID.randomUUID()), quoted("t"),
                deepToolDefinition(200), hello), null);
        field(inputs, "a tool script with a 5000-deep type hint", event(quoted("j-" + UUID.randomUUID()), quoted("t"),
                deepToolDefinition(5000), hello), null);
        return inputs;
    }

    /** word_count (a deployed route) with a signature built to overflow a recursive reader. */
    static String deepToolDefinition(int depth) {
        String hint = "list[".repeat(depth) + "int" + "]".repeat(depth);
        String script = "@tool\\ndef word_count(text: " + hint + ") -> int:\\n    \\\"\\\"\\\"Counts.\\\"\\\"\\\"\\n    return 0\\n";
        return """
                {"tool_definitions": [{"name": "word_count", "runtime": {"script": "%s"}}],
                 "nodes": [{"id": "orchestrator", "type": "Orchestrator",
                  "config": {"name": "O", "system_prompt": "s", "model": {"provider": "openai", "model": "m"},
                             "tools": ["word_count"]}}]}""".formatted(script);
    }

    private static void envelope(List<Input> inputs, String name, String body, boolean overNats) {
        inputs.add(new Input(name, body, List.of("Content-Type", "application/json"), null, overNats, "unknown"));
    }

    /** Sent as a structured event; over NATS too. {@code jobId} null: the event names a readable one. */
    private static void field(List<Input> inputs, String name, String data, String jobId) {
        String readable = jobId;
        if (readable == null) {
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"job_id\": \"(j-[0-9a-f-]{36})\"").matcher(data);
            readable = id.find() ? id.group(1) : "unknown";
        }
        inputs.add(new Input(name, structured(data), List.of("Content-Type", "application/cloudevents+json"), null, true, readable));
    }
}
