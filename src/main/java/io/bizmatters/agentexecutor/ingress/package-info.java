/** What every ingress tells the execution path about the delivery of a job event, whatever its transport. */
package io.bizmatters.agentexecutor.ingress;
