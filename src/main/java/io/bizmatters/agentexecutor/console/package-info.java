/** The read-only job console's static files, served from the jar under a strict Content-Security-Policy. */
package io.bizmatters.agentexecutor.console;
