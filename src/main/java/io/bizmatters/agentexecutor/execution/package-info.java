/** A delivery's way through a job beyond the engine: accepted answers, settled jobs republished, failures turned into answers, parked jobs expired. */
package io.bizmatters.agentexecutor.execution;
