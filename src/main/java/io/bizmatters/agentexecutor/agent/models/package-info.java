/** Reaching model providers through langchain4j: building an agent's streaming model, calling it with retries, and the shared HTTP transport. */
package io.bizmatters.agentexecutor.agent.models;
