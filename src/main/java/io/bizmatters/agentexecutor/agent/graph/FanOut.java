package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.tools.TaskTool;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.LimitExceeded;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.bsc.langgraph4j.StateGraph.END;

/**
 * Runs the tool calls of one model turn at once, each on a virtual thread, and joins them
 * ({@link TurnJoin}). A {@code task} call runs its specialist as a branch of the caller's thread
 * ({@link AgentThread#specialist}), every step of it checkpointed there; a catalog tool's result is
 * checkpointed on a one-row branch of its own; built-ins work on the state the turn saw. On the
 * job's next run the same tools step runs again and takes every finished branch's result from its
 * thread, so nothing that finished runs twice.
 *
 * <p>Isolation: a call that fails as the job's agents' own problem (a tool that broke, a specialist
 * whose model refused it) gives its {@code Error: ...} text as its result, and its siblings carry
 * on. An infrastructure fault or a parked branch halts the siblings before their next step, and
 * once each has checkpointed the step it was in, the fault propagates (the job is redelivered) or
 * the job parks. A stop (cancel, deadline), a job limit and bad input interrupt the siblings at once.
 */
final class FanOut {
    private final JobRun run;
    private final ToolExecution execution;
    private final JobScope job;
    private final BaseCheckpointSaver saver;

    FanOut(JobRun run, AgentDefinition definition, JobScope job, BaseCheckpointSaver saver) {
        this.run = run;
        this.execution = new ToolExecution(definition, job);
        this.job = job;
        this.saver = saver;
    }

    ToolExecution execution() {
        return execution;
    }

    private sealed interface Outcome {
    }

    private record Done(TurnJoin.Result result, String branchThread) implements Outcome {
    }

    private record Parked(List<Interrupt> interrupts) implements Outcome {
    }

    private record Halted() implements Outcome {
    }

    /** @param fatal true when the siblings are interrupted rather than let finish their step */
    private record Failed(RuntimeException failure, boolean fatal) implements Outcome {
    }

    Map<String, Object> run(AgentThread thread, DeepAgentState state, AgentToolbox agent, List<Map<String, Object>> calls) {
        int turn = Messages.turns(state.messages());
        Halt siblings = thread.halt().nested();
        Map<String, Optional<Checkpoint>> started = startedBranches(thread, agent, calls, turn);
        List<StepGuard.Step> steps = new ArrayList<>();
        try {
            List<Callable<Outcome>> work = new ArrayList<>();
            for (Map<String, Object> call : calls) {
                StepGuard.Step step = admit(thread, agent, call, turn, started);
                steps.add(step);
                work.add(() -> call(thread, state, agent, call, turn, siblings, started, step));
            }
            List<Outcome> outcomes = all(work);
            throwUnlessAllDone(outcomes);
            List<TurnJoin.Result> results = outcomes.stream().map(o -> ((Done) o).result()).toList();
            Map<String, Object> update = TurnJoin.update(state, thread.agentId(), calls, results);
            List<String> joined = outcomes.stream().map(o -> ((Done) o).branchThread()).filter(t -> t != null).toList();
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
    private List<Outcome> all(List<Callable<Outcome>> calls) {
        Optional<List<Future<Outcome>>> ended = CallThreads.runAll(job.jobId(), job.telemetry(), calls,
                outcome -> outcome instanceof Failed failed && failed.fatal());
        if (ended.isEmpty()) {
            // The job's thread was interrupted (a cancel, the deadline): so was every call's.
            job.guard().control().check();
            throw new InfrastructureFault("engine", "job " + job.jobId() + " was interrupted while its tool calls ran", null);
        }
        return ended.get().stream().map(FanOut::outcome).toList();
    }

    private static Outcome outcome(Future<Outcome> future) {
        try {
            return future.get();
        } catch (CancellationException e) {
            return new Halted();
        } catch (ExecutionException e) {
            return new Failed(GraphFailures.classify(new RuntimeException(e.getCause())), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Halted();
        }
    }

    /** Fatal failures first, then faults, then parked branches (one resume decides them all), then a halt from outside. */
    private void throwUnlessAllDone(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Failed failed && failed.fatal()) {
                throw job.guard().control().stopped().<RuntimeException>map(stop -> stop).orElse(failed.failure());
            }
        }
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Failed failed) {
                throw failed.failure();
            }
        }
        List<Interrupt> waiting = outcomes.stream().filter(Parked.class::isInstance)
                .flatMap(o -> ((Parked) o).interrupts().stream()).toList();
        if (!waiting.isEmpty()) {
            throw new BranchesParked(waiting);
        }
        if (outcomes.stream().anyMatch(Halted.class::isInstance)) {
            throw new Halt.Halted();
        }
    }

    private Outcome call(AgentThread thread, DeepAgentState state, AgentToolbox agent, Map<String, Object> call,
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
            return new Halted();
        } catch (RuntimeException e) {
            RuntimeException failure = GraphFailures.classify(e);
            boolean fatal = !(failure instanceof InfrastructureFault);
            if (isolated(failure)) {
                String text = "Error: " + failure.getMessage();
                thread.events().toolResult(thread.agentId(), callId, name, text);
                return new Done(TurnJoin.Result.text(text), null);
            }
            siblings.set();
            return new Failed(failure, fatal);
        }
    }

    /** A failure the calling agent reads as the call's result, rather than one the whole job stops for. */
    private boolean isolated(RuntimeException failure) {
        return !(failure instanceof InfrastructureFault || failure instanceof BadInput || failure instanceof LimitExceeded)
                && job.guard().control().stopped().isEmpty();
    }

    private Outcome delegate(AgentThread branch, AgentThread thread, DeepAgentState state, String callId, String arguments,
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
            if (!isolated(failure)) {
                throw failure;
            }
            String text = "Error: the specialist " + specialist.name() + " failed: " + failure.getMessage();
            thread.events().toolResult(thread.agentId(), callId, TaskTool.NAME, text);
            DeepAgentState spent = run.last(branch).map(c -> new DeepAgentState(c.getState())).orElse(null);
            return new Done(new TurnJoin.Result(text, Map.of(), spent), branch.threadId());
        }
        return switch (outcome) {
            case ThreadOutcome.Finished finished -> {
                String answer = finished.state().finalAnswer();
                if (last.isEmpty() || !END.equals(last.get().getNextNodeId())) {
                    thread.events().toolResult(thread.agentId(), callId, TaskTool.NAME, answer);
                }
                yield new Done(new TurnJoin.Result(answer, Map.of(DeepAgentState.FILES, finished.state().files(),
                        DeepAgentState.TODOS, finished.state().todos()), finished.state()), branch.threadId());
            }
            case ThreadOutcome.Parked parked -> {
                branch.halt().set();
                yield new Parked(parked.interrupts());
            }
            case ThreadOutcome.Halted halted -> new Halted();
        };
    }

    private Outcome tool(AgentThread thread, DeepAgentState state, AgentToolbox agent, String callId, String name,
                         String arguments, int turn, StepGuard.Step step) {
        Optional<ToolBranch> branch = ToolExecution.reachesRoute(agent, name, arguments)
                ? Optional.of(new ToolBranch(saver, thread, turn, callId)) : Optional.empty();
        Optional<String> finished = branch.flatMap(ToolBranch::finished);
        if (finished.isPresent()) {
            return new Done(TurnJoin.Result.text(finished.get()), null);
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
        return new Done(new TurnJoin.Result(result, update, null), null);
    }
}
