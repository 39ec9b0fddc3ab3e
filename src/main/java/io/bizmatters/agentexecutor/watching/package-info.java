/** Watching a job over HTTP: its replayable event stream served as Server-Sent Events, replayed, then followed live. */
package io.bizmatters.agentexecutor.watching;
