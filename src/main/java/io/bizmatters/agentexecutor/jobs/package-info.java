/** The jobs table in PostgreSQL: claiming a job under its lease, recording how it ended, parking and resuming it, cancels, and the schema's migrations. */
package io.bizmatters.agentexecutor.jobs;
