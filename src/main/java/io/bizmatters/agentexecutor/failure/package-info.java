/** The kinds of failure a job can end in, each classified where it is born: bad input, the job's own failure, an infrastructure fault, a cancel. */
package io.bizmatters.agentexecutor.failure;
