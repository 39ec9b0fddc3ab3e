package io.bizmatters.agentexecutor.agent.tools;

import dev.langchain4j.agent.tool.ToolSpecification;

/** A tool name resolved to something the operator deployed: what the model sees and what runs. */
public record BoundTool(ToolSpecification specification, Invocation invocation) {

    /** Who is calling, so a tool route can log and correlate. */
    public record CallContext(String jobId, String traceId, String toolCallId) {
    }

    @FunctionalInterface
    public interface Invocation {
        /**
         * Runs the tool with the model's JSON arguments and returns the text the model reads.
         * A failure the model should see comes back as text; an exception fails the job.
         */
        String invoke(CallContext context, String argumentsJson);
    }
}
