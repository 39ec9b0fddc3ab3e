package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.tools.TaskTool;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import static org.bsc.langgraph4j.StateGraph.END;

/**
 * Runs the tool calls of one model turn at once, each on a virtual thread, and joins them
 * ({@link TurnJoin}). A {@code task} call runs its specialist as a branch of the caller's thread
 * ({@link AgentThread#specialist}), every step of it checkpointed there; a catalog tool's result is
 * checkpointed on a one-row branch of its own; built-ins work on the state the turn saw. On the
 * job's next run the same tools step runs again and takes every finished branch's result from its
 * thread, so nothing that finished runs twice. How one call's failure reaches its siblings is
 * {@link CallOutcome}'s.
 */
final class FanOut {
    private final JobRun run;
    private final ToolExecution execution;
    private final JobScope job;
    private final BaseCheckpointSaver saver;

    FanOut(JobRun run, JobScope job, BaseCheckpointSaver saver) {
        this.run = run;
        this.execution = new ToolExecution(job);
        this.job = job;
        this.saver = saver;
    }

    ToolExecution execution() {
        return execution;
    }

    Map<String, Object> run(AgentThread thread, DeepAgentState state, AgentToolbox agent, List<Map<String, Object>> calls) {
        int turn = Messages.turns(state.messages());
        Halt siblings = thread.halt().nested();
        Map<String, Optional<Checkpoint>> started = startedBranches(thread, agent, calls, turn);
        List<StepGuard.Step> steps = new ArrayList<>();
        try {
            List<Callable<CallOutcome>> work = new ArrayList<>();
            for (Map<String, Object> call : calls) {
                StepGuard.Step step = admit(thread, agent, call, turn, started);
                steps.add(step);
                work.add(() -> call(thread, state, agent, call, turn, siblings, started, step));
            }
            List<CallOutcome.Done> done = CallOutcome.allDone(all(work), job.guard().control());
            List<TurnJoin.Result> results = done.stream().map(CallOutcome.Done::result).toList();
            Map<String, Object> update = TurnJoin.update(state, thread.agentId(), calls, results);
            List<String> joined = done.stream().map(CallOutcome.Done::branchThread).filter(t -> t != null).toList();
            job.guard().done(steps, thread.threadId(), agentUsage(update), (int) update.get(DeepAgentState.STEPS), joined);
            return update;
        } finally {
            steps.forEach(StepGuard.Step::close);
        }
    }

    /** Checks and counts one call before any starts: a call that ran or started on an earlier run only counts. */
    private StepGuard.Step admit(AgentThread thread, AgentToolbox agent, Map<String, Object> call, int turn,
                                 Map<String, Optional<Checkpoint>> started) {
        String callId = String.valueOf(call.get("id"));
        String name = String.valueOf(call.get("name"));
        String arguments = String.valueOf(call.get("arguments"));
        boolean ranBefore = started.containsKey(callId) ? started.get(callId).isPresent()
                : ToolExecution.reachesRoute(agent, name, arguments) && new ToolBranch(saver, thread, turn, callId).finished().isPresent();
        return ranBefore ? job.guard().replayed(thread) : job.guard().admit(thread, started.containsKey(callId));
    }

    /**
     * The last checkpoint of each specialist's branch, by task call id. A branch parked without a
     * decision for every call it waits on means this run is a redelivery of the parked job, not its
     * resume: it parks again before any sibling takes a step.
     */
    private Map<String, Optional<Checkpoint>> startedBranches(AgentThread thread, AgentToolbox agent,
                                                              List<Map<String, Object>> calls, int turn) {
        Map<String, Optional<Checkpoint>> started = new HashMap<>();
        List<Interrupt> undecided = new ArrayList<>();
        for (Map<String, Object> call : calls) {
            String callId = String.valueOf(call.get("id"));
            execution.delegation(agent, String.valueOf(call.get("name")), String.valueOf(call.get("arguments")))
                    .ifPresent(delegation -> {
                        AgentThread branch = thread.specialist(turn, callId, delegation.getKey().id(), thread.halt());
                        Optional<Checkpoint> last = run.last(branch);
                        started.put(callId, last);
                        undecided.addAll(run.undecided(branch, last));
                    });
        }
        if (!undecided.isEmpty()) {
            throw new BranchesParked(undecided);
        }
        return started;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> agentUsage(Map<String, Object> update) {
        return (Map<String, Object>) update.get(DeepAgentState.AGENT_USAGE);
    }

    /** Runs every call at once and waits for all of them; their outcomes in the calls' order. */
    private List<CallOutcome> all(List<Callable<CallOutcome>> calls) {
        Optional<List<Future<CallOutcome>>> ended = CallThreads.runAll(job.jobId(), job.telemetry(), calls,
                CallOutcome::stopsSiblings);
        if (ended.isEmpty()) {
            // The job's thread was interrupted (a cancel, the deadline): so was every call's.
            job.guard().control().check();
            throw new InfrastructureFault("engine", "job " + job.jobId() + " was interrupted while its tool calls ran", null);
        }
        return ended.get().stream().map(CallOutcome::of).toList();
    }

    private CallOutcome call(AgentThread thread, DeepAgentState state, AgentToolbox agent, Map<String, Object> call,
                             int turn, Halt siblings, Map<String, Optional<Checkpoint>> started, StepGuard.Step step) {
        String callId = String.valueOf(call.get("id"));
        String name = String.valueOf(call.get("name"));
        String arguments = String.valueOf(call.get("arguments"));
        try {
            Optional<Map.Entry<AgentSpec, String>> delegation = execution.delegation(agent, name, arguments);
            return delegation.isPresent()
                    ? delegate(thread.specialist(turn, callId, delegation.get().getKey().id(), siblings), thread, state,
                    callId, arguments, delegation.get().getKey(), delegation.get().getValue(), started.get(callId))
                    : tool(thread, state, agent, callId, name, arguments, turn, step);
        } catch (Halt.Halted halted) {
            return new CallOutcome.Halted();
        } catch (RuntimeException e) {
            RuntimeException failure = GraphFailures.classify(e);
            if (CallOutcome.isolated(failure, job.guard().control())) {
                String text = "Error: " + failure.getMessage();
                thread.events().toolResult(thread.agentId(), callId, name, text);
                return new CallOutcome.Done(TurnJoin.Result.text(text), null);
            }
            siblings.set();
            return CallOutcome.Failed.of(failure);
        }
    }

    private CallOutcome delegate(AgentThread branch, AgentThread thread, DeepAgentState state, String callId, String arguments,
                                 AgentSpec specialist, String description, Optional<Checkpoint> last) {
        if (last.isEmpty()) {
            thread.events().toolCall(thread.agentId(), callId, TaskTool.NAME, arguments);
        }
        ThreadOutcome outcome;
        try {
            outcome = run.run(branch, last, () -> Map.of(DeepAgentState.MESSAGES, List.of(Messages.user(description)),
                    DeepAgentState.FILES, state.files(), DeepAgentState.TODOS, state.todos()));
        } catch (RuntimeException e) {
            RuntimeException failure = GraphFailures.classify(e);
            if (!CallOutcome.isolated(failure, job.guard().control())) {
                throw failure;
            }
            String text = "Error: the specialist " + specialist.name() + " failed: " + failure.getMessage();
            thread.events().toolResult(thread.agentId(), callId, TaskTool.NAME, text);
            DeepAgentState spent = run.last(branch).map(c -> new DeepAgentState(c.getState())).orElse(null);
            return new CallOutcome.Done(new TurnJoin.Result(text, Map.of(), spent), branch.threadId());
        }
        return switch (outcome) {
            case ThreadOutcome.Finished finished -> {
                String answer = finished.state().finalAnswer();
                if (last.isEmpty() || !END.equals(last.get().getNextNodeId())) {
                    thread.events().toolResult(thread.agentId(), callId, TaskTool.NAME, answer);
                }
                yield new CallOutcome.Done(new TurnJoin.Result(answer, Map.of(DeepAgentState.FILES, finished.state().files(),
                        DeepAgentState.TODOS, finished.state().todos()), finished.state()), branch.threadId());
            }
            case ThreadOutcome.Parked parked -> {
                branch.halt().set();
                yield new CallOutcome.Parked(parked.interrupts());
            }
            case ThreadOutcome.Halted halted -> new CallOutcome.Halted();
        };
    }

    private CallOutcome tool(AgentThread thread, DeepAgentState state, AgentToolbox agent, String callId, String name,
                             String arguments, int turn, StepGuard.Step step) {
        Optional<ToolBranch> branch = ToolExecution.reachesRoute(agent, name, arguments)
                ? Optional.of(new ToolBranch(saver, thread, turn, callId)) : Optional.empty();
        Optional<String> finished = branch.flatMap(ToolBranch::finished);
        if (finished.isPresent()) {
            return new CallOutcome.Done(TurnJoin.Result.text(finished.get()), null);
        }
        step.acquirePermit();
        thread.events().toolCall(thread.agentId(), callId, name, arguments);
        Map<String, Object> update = new HashMap<>();
        String result;
        try {
            result = job.telemetry().toolCall(thread.agentId(), name, callId, arguments,
                    () -> execution.execute(state, agent, callId, name, arguments, update));
        } finally {
            step.releasePermit();
        }
        branch.ifPresent(b -> b.finished(result));
        thread.events().toolResult(thread.agentId(), callId, name, result);
        return new CallOutcome.Done(new TurnJoin.Result(result, update, null), null);
    }
}
