/** Reading a Python @tool's source, never running it, for the description and JSON schema the model is offered. */
package io.bizmatters.agentexecutor.agent.tools.python;
