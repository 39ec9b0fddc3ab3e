/** Our Camel JetStream consumer endpoint: the streams and durable consumer it sets up, pulling for free job slots only, and how each message is settled. */
package io.bizmatters.agentexecutor.ingress.jetstream;
