/** A delivery's way through a job around the engine: the run under job control, completed and settled jobs reported, every failure reported once, accepted answers, parked jobs expired. */
package io.bizmatters.agentexecutor.execution;
