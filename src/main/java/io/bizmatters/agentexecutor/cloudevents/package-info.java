/** The CloudEvents wire format of docs/contract.md: reading job, resume and cancel events, and writing result events that fit one NATS message. */
package io.bizmatters.agentexecutor.cloudevents;
