/** The tools an agent may call: operator-deployed Camel routes and the built-ins (virtual files, todos, task), bound from what a definition declares. */
package io.bizmatters.agentexecutor.agent.tools;
