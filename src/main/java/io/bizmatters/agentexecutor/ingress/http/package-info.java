/** What stands in front of the HTTP routes: the bearer-token check and the slow-client timeouts. */
package io.bizmatters.agentexecutor.ingress.http;
