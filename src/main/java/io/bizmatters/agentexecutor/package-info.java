/** The service's assembly: Camel Main, the beans it binds for the YAML routes, and the agent engine put together from them. */
package io.bizmatters.agentexecutor;
