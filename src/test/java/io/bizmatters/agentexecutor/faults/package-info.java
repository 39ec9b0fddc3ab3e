/** The fault suite: the packaged service under kills and outages of everything it depends on, on private servers, proving one result per job. */
package io.bizmatters.agentexecutor.faults;
