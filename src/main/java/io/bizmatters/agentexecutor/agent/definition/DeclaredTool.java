package io.bizmatters.agentexecutor.agent.definition;

/**
 * A tool an agent definition names. {@code pythonScript} is the Python service's
 * {@code runtime.script} (null when absent): it is read for the tool's description and parameters,
 * never executed.
 */
public record DeclaredTool(String name, String pythonScript) {
}
