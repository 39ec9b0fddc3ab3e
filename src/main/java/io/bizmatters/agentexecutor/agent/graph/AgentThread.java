package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.checkpoint.BranchThreads;
import io.bizmatters.agentexecutor.streaming.JobEvents;

/**
 * One agent at work on a checkpoint thread of its own: the orchestrator on the job's thread, or a
 * specialist on the branch thread of the {@code task} call that started it.
 *
 * @param depth  how deep the agent's delegation nests: 0 for the orchestrator, 1 for its specialists, 2 for
 *               the specialists a specialist delegates to, and so on
 * @param events the stream as this agent's events go there (a specialist's name its task call)
 * @param halt   set when a sibling branch faulted or parked: the agent stops before its next step
 */
record AgentThread(String threadId, String agentId, int depth, JobEvents events, Halt halt) {

    static AgentThread job(String jobId, String orchestratorId, JobEvents events) {
        return new AgentThread(jobId, orchestratorId, 0, events, new Halt(null));
    }

    /**
     * The thread of one call of this agent's model turn {@code turn}: {@code <turn>/task/<call id>} for a
     * specialist, {@code <turn>/tool/<call id>} for a tool's result. The turn keeps a call id a model
     * reuses in a later turn from finding the earlier call's branch.
     */
    String branchOf(int turn, String kind, String callId) {
        return BranchThreads.of(threadId, turn + "/" + kind + "/" + callId.replace("%", "%25").replace("/", "%2F"));
    }

    AgentThread specialist(int turn, String callId, String specialistId, Halt siblings) {
        return new AgentThread(branchOf(turn, "task", callId), specialistId, depth + 1, events.withinTask(callId), siblings);
    }
}
