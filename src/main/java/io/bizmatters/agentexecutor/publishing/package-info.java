/** Publishing result events to AGENT_STATUS with a Nats-Msg-Id per result, so that the stream keeps exactly one copy. */
package io.bizmatters.agentexecutor.publishing;
