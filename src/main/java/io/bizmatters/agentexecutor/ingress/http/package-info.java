/** HTTP's own part of a delivery: the bearer-token check and the slow-client timeouts in front of the routes, and the answer to each failure kind. */
package io.bizmatters.agentexecutor.ingress.http;
