/** The Prometheus metrics the dashboards and alerts read, and the readiness probe. */
package io.bizmatters.agentexecutor.observability;
