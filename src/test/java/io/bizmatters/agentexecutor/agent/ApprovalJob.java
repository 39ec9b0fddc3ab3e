package io.bizmatters.agentexecutor.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.testsupport.OpenAiTestServer;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.call;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.text;
import static io.bizmatters.agentexecutor.testsupport.OpenAiTestServer.toolCalls;

/**
 * The service-level approval job: an orchestrator whose write_file needs approval (any decision)
 * and whose word_count (the shipped route) allows approve or reject, and a Writer specialist whose
 * write_file needs approval. Scripts for each path the tests take.
 */
final class ApprovalJob {
    static final String PLAN = "step 1: count; step 2: write";
    static final String FINAL_ANSWER = "Done as decided.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovalJob() {
    }

    /** One turn: write_todos (runs at once), write_file w1 and word_count k1 (both wait), then the answer. */
    static OpenAiTestServer.Reply[] twoInterruptsInOneTurn() {
        return new OpenAiTestServer.Reply[] {
                toolCalls(call("w1", "write_file", Map.of("file_path", "/plan.md", "content", PLAN)),
                        call("t1", "write_todos", Map.of("todos", List.of(Map.of("content", "plan", "status", "in_progress")))),
                        call("k1", "word_count", Map.of("text", PLAN))),
                text(FINAL_ANSWER)};
    }

    /** One turn with write_file w1 alone, then the answer. */
    static OpenAiTestServer.Reply[] oneInterrupt() {
        return new OpenAiTestServer.Reply[] {
                toolCalls(call("w1", "write_file", Map.of("file_path", "/plan.md", "content", PLAN))),
                text(FINAL_ANSWER)};
    }

    /** The orchestrator hands the Writer a task; the Writer's write_file s1 waits; the Writer and then the orchestrator answer. */
    static OpenAiTestServer.Reply[] specialistInterrupt() {
        return new OpenAiTestServer.Reply[] {
                toolCalls(call("c1", "task", Map.of("subagent_type", "Writer", "description", "Write the plan to /plan.md"))),
                toolCalls(call("s1", "write_file", Map.of("file_path", "/plan.md", "content", PLAN))),
                text("The plan is written."),
                text(FINAL_ANSWER)};
    }

    static ObjectNode definition() {
        ObjectNode definition = JSON.createObjectNode();
        ArrayNode nodes = definition.putArray("nodes");
        ObjectNode lead = agent(nodes, "orchestrator", "Orchestrator", "Lead", "word_count");
        lead.putObject("interrupt_on").put("write_file", true).put("read_file", false)
                .putObject("word_count").put("description", "Counting costs money").putArray("allowed_decisions")
                .add("approve").add("reject");
        ObjectNode writer = agent(nodes, "writer", "Specialist", "Writer");
        writer.putObject("interrupt_on").put("write_file", true);
        return definition;
    }

    private static ObjectNode agent(ArrayNode nodes, String id, String type, String name, String... tools) {
        ObjectNode config = nodes.addObject().put("id", id).put("type", type).putObject("config");
        config.put("name", name).put("description", name + " of the team").put("system_prompt", "You are " + name + ".");
        config.putObject("model").put("provider", "openai").put("model", "gpt-test");
        ArrayNode toolNames = config.putArray("tools");
        List.of(tools).forEach(toolNames::add);
        return config;
    }

    static String cloudEvent(String jobId) {
        return MultiAgentJob.cloudEvent(jobId, definition());
    }

    /** The decisions object of POST /jobs/{id}/resume, from decision objects. */
    static String decisions(String jobId, ObjectNode... decisions) {
        ObjectNode body = JSON.createObjectNode().put("job_id", jobId);
        ArrayNode array = body.putArray("decisions");
        List.of(decisions).forEach(array::add);
        return body.toString();
    }

    static ObjectNode approve(String callId) {
        return JSON.createObjectNode().put("tool_call_id", callId).put("type", "approve");
    }

    static ObjectNode reject(String callId, String message) {
        return JSON.createObjectNode().put("tool_call_id", callId).put("type", "reject").put("message", message);
    }

    static ObjectNode edit(String callId, Map<String, ?> args) {
        ObjectNode edit = JSON.createObjectNode().put("tool_call_id", callId).put("type", "edit");
        edit.set("args", JSON.valueToTree(args));
        return edit;
    }

    /** A structured-mode resume CloudEvent, as sent on agent.execute.*. */
    static String resumeEvent(String jobId, ObjectNode... decisions) {
        try {
            ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("type", "dev.my-platform.agent.resume")
                    .put("source", "test://reviewer").put("id", UUID.randomUUID().toString())
                    .put("datacontenttype", "application/json");
            event.set("data", JSON.readTree(decisions(jobId, decisions)));
            return event.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
