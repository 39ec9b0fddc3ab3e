package io.bizmatters.agentexecutor.streaming;

/**
 * The {@code raw_event} string old readers got from the Python service: the repr of the
 * (AIMessageChunk, metadata) tuple. Readers display or log it; the structured fields beside it are
 * what new readers parse.
 */
final class PythonRepr {
    private PythonRepr() {
    }

    static String textChunk(String jobId, String node, String text) {
        return "(AIMessageChunk(content=" + string(text)
                + ", additional_kwargs={}, response_metadata={}, tool_call_chunks=[]), " + metadata(jobId, node) + ")";
    }

    static String toolCallChunk(String jobId, String node, int index, String toolCallId, String toolName, String args) {
        return "(AIMessageChunk(content='', additional_kwargs={}, response_metadata={}, tool_call_chunks=[{'name': "
                + string(toolName) + ", 'args': " + string(args) + ", 'id': " + string(toolCallId) + ", 'index': "
                + index + ", 'type': 'tool_call_chunk'}]), " + metadata(jobId, node) + ")";
    }

    private static String metadata(String jobId, String node) {
        return "{'thread_id': " + string(jobId) + ", 'langgraph_node': " + string(node) + "}";
    }

    /** Python's repr of a str (None for null): single quotes unless only double quotes avoid escaping. */
    static String string(String value) {
        if (value == null) {
            return "None";
        }
        char quote = value.indexOf('\'') >= 0 && value.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(value.length() + 2).append(quote);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }
}
