/** The job as the engine sees it, whatever its transport: the validated job, its limits and control, the decisions it may wait on, and the outcome it ends with. */
package io.bizmatters.agentexecutor.agent;
