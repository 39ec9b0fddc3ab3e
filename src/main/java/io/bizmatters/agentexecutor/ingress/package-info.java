/** How jobs arrive: over HTTP (ingress.http) and from the NATS JetStream work queue (ingress.jetstream). */
package io.bizmatters.agentexecutor.ingress;
