/** LangGraph4j checkpoints in PostgreSQL, written as deltas, and how long they outlive their job. */
package io.bizmatters.agentexecutor.checkpoint;
