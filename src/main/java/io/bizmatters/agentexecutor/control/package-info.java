/** Job control: cancelling jobs and holding them to their deadlines, on this pod and across pods. */
package io.bizmatters.agentexecutor.control;
