/** Reading and validating an agent_definition: the orchestrator, its specialists, their models, the tools they declare and which calls wait for a person. */
package io.bizmatters.agentexecutor.agent.definition;
