package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;

/**
 * The service-level test job: an orchestrator with two specialists, a Researcher whose tool is the
 * shipped {@code word_count} route and a Writer that writes a file, and the model script that runs
 * it to completion. The script's calls, in order:
 * <ol>
 *   <li>orchestrator: {@code write_todos} and {@code task(Researcher)}</li>
 *   <li>researcher: {@code word_count}</li>
 *   <li>researcher: its answer (ends the task)</li>
 *   <li>orchestrator: {@code task(Writer)}</li>
 *   <li>writer: {@code write_file}</li>
 *   <li>writer: its answer (ends the task)</li>
 *   <li>orchestrator: the final answer</li>
 * </ol>
 * Tool executions: write_todos, task, word_count, task, write_file.
 */
final class MultiAgentJob {
    static final int MODEL_CALLS = 7;
    static final int TOOL_EXECUTIONS = 5;
    static final String COUNTED_TEXT = "the quick brown fox";
    static final String HAIKU = "Quick brown fox leaps\nfour words counted in the sun\nthe lazy dog sleeps";
    static final String FINAL_ANSWER = "Done: the text has 4 words, and the haiku is in /haiku.md";
    /** Each scripted call charges 10 prompt and 5 completion tokens: gpt-test makes calls 1-4 and 7, gpt-test-mini 5 and 6. */
    static final List<String> USAGE = List.of("openai:gpt-test=50/25", "openai:gpt-test-mini=20/10");
    static final int TOKENS = 50 + 25 + 20 + 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private MultiAgentJob() {
    }

    static OpenAiTestServer.Reply[] script() {
        return new OpenAiTestServer.Reply[] {
                toolCalls(call("c1", "write_todos", Map.of("todos", List.of(
                                Map.of("content", "count the words", "status", "in_progress"),
                                Map.of("content", "write a haiku", "status", "pending")))),
                        call("c2", "task", Map.of("subagent_type", "Researcher",
                                "description", "Count the words of: " + COUNTED_TEXT))),
                toolCalls(call("r1", "word_count", Map.of("text", COUNTED_TEXT))),
                text("The text has 4 words."),
                toolCalls(call("c3", "task", Map.of("subagent_type", "Writer",
                        "description", "Write a haiku about a text of 4 words into /haiku.md"))),
                toolCalls(call("w1", "write_file", Map.of("file_path", "/haiku.md", "content", HAIKU))),
                text("The haiku is in /haiku.md."),
                text(FINAL_ANSWER)};
    }

    /** The definition, with the Researcher's tools; the shipped job uses {@code ["word_count"]}. */
    static ObjectNode definition(String... researcherTools) {
        ObjectNode definition = JSON.createObjectNode();
        ArrayNode nodes = definition.putArray("nodes");
        agent(nodes, "orchestrator", "Orchestrator", "Lead", "You lead a small team.", "gpt-test");
        agent(nodes, "researcher", "Specialist", "Researcher", "You count and check facts.", "gpt-test",
                researcherTools);
        agent(nodes, "writer", "Specialist", "Writer", "You write short poems.", "gpt-test-mini");
        return definition;
    }

    private static void agent(ArrayNode nodes, String id, String type, String name, String prompt, String model,
                              String... tools) {
        ObjectNode config = nodes.addObject().put("id", id).put("type", type).putObject("config");
        config.put("name", name).put("description", name + " of the team").put("system_prompt", prompt);
        config.putObject("model").put("provider", "openai").put("model", model);
        ArrayNode toolNames = config.putArray("tools");
        List.of(tools).forEach(toolNames::add);
    }

    /** A structured-mode CloudEvent carrying the job, as callers send it over HTTP or NATS. */
    static String cloudEvent(String jobId, ObjectNode definition) {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("type", "dev.my-platform.agent.execute")
                .put("source", "nats://agent.execute.test").put("id", UUID.randomUUID().toString())
                .put("datacontenttype", "application/json");
        ObjectNode data = event.putObject("data").put("trace_id", "trace-" + jobId).put("job_id", jobId);
        data.set("agent_definition", definition);
        data.putObject("input_payload").putArray("messages").addObject().put("role", "user")
                .put("content", "Count the words of '" + COUNTED_TEXT + "' and write a haiku about it.");
        return event.toString();
    }

    /** The tokens per model a GET /jobs/{jobId} row records, in the form of {@link #USAGE}. */
    static List<String> usageOf(JsonNode jobRow) {
        return StreamSupport.stream(jobRow.at("/usage/models").spliterator(), false)
                .map(u -> u.path("provider").asText() + ":" + u.path("model").asText() + "="
                        + u.path("input_tokens").asInt() + "/" + u.path("output_tokens").asInt())
                .toList();
    }

    static String cloudEvent(String jobId) {
        return cloudEvent(jobId, definition("word_count"));
    }

    /** The shipped job under the given {@code limits} JSON (docs/job-control.md). */
    static String withLimits(String jobId, String limitsJson) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(cloudEvent(jobId));
            ((ObjectNode) event.get("data")).set("limits", JSON.readTree(limitsJson));
            return event.toString();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
