package io.bizmatters.agentexecutor.agent.definition;

import io.bizmatters.agentexecutor.agent.Decision;

import java.util.List;

/**
 * One entry of a node's {@code config.interrupt_on}: calls of this tool wait for a person's
 * decision before they run (deepagents' names and shape).
 *
 * @param path             the entry's JSON path, to name it when it turns out to be wrong
 * @param allowedDecisions what the reviewer may answer; never empty
 * @param description      shown to the reviewer with the call; may be null
 */
public record InterruptPolicy(String path, List<Decision.Type> allowedDecisions, String description) {
}
