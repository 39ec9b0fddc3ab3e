package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The Python service's own test definition (arun4infra/deepagents-runtime at 697c7d5,
 * tests/mock/definition.json): 1 orchestrator, 5 specialists and 4 Python-script tools.
 */
public final class PythonServiceDefinition {
    public static final String RESOURCE = "/python-service/definition.json";

    private PythonServiceDefinition() {
    }

    public static JsonNode json() {
        try (InputStream in = PythonServiceDefinition.class.getResourceAsStream(RESOURCE)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code runtime.script} of the named tool definition. */
    public static String toolScript(String toolName) {
        for (JsonNode tool : json().get("tool_definitions")) {
            if (tool.get("name").asText().equals(toolName)) {
                return tool.at("/runtime/script").asText();
            }
        }
        throw new IllegalArgumentException("no tool " + toolName + " in " + RESOURCE);
    }
}
