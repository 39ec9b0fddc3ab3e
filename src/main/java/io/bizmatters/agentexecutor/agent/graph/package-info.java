/** The LangGraph4j deep-agent engine: the graph whose every model call and tool execution is a checkpointed step, and its state. */
package io.bizmatters.agentexecutor.agent.graph;
