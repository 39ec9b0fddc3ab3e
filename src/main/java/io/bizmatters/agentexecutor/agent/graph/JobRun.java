package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.Interrupt;
import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;
import io.bizmatters.agentexecutor.checkpoint.BranchThreads;
import io.bizmatters.agentexecutor.failure.Causes;
import io.bizmatters.agentexecutor.failure.JobFailure;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphInput;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.NodeOutput;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;

/**
 * One run of a job on this process: runs the deep-agent graph on an {@link AgentThread}, the
 * job's own or a specialist's branch, from that thread's last checkpoint. A finished thread gives
 * its stored state without a step; one parked before its approval step without a decision for
 * every waiting call parks again without a step; any other continues where it stopped.
 */
final class JobRun {
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    private final AgentDefinition definition;
    private final Map<String, AgentToolbox> agents;
    private final Approvals approvals;
    private final StreamingModelCall modelCall;
    private final BaseCheckpointSaver saver;
    private final JobScope job;
    private final int stepLimit;
    private final FanOut fanOut;

    JobRun(AgentDefinition definition, Map<String, AgentToolbox> agents, Approvals approvals, StreamingModelCall modelCall,
           BaseCheckpointSaver saver, JobScope job, int stepLimit) {
        this.definition = definition;
        this.agents = agents;
        this.approvals = approvals;
        this.modelCall = modelCall;
        this.saver = saver;
        this.job = job;
        this.stepLimit = stepLimit;
        this.fanOut = new FanOut(this, job, saver);
    }

    Optional<Checkpoint> last(AgentThread thread) {
        return saver.get(config(thread));
    }

    ThreadOutcome run(AgentThread thread, Supplier<Map<String, Object>> input) {
        return run(thread, last(thread), input);
    }

    /** @param last the thread's latest checkpoint, as {@link #last} read it */
    ThreadOutcome run(AgentThread thread, Optional<Checkpoint> last, Supplier<Map<String, Object>> input) {
        DeepAgentState resumed = last.map(checkpoint -> new DeepAgentState(checkpoint.getState())).orElse(null);
        job.guard().book().track(thread.threadId(), resumed == null ? new DeepAgentState(Map.of()) : resumed);
        if (resumed != null) {
            String next = last.get().getNextNodeId();
            if (END.equals(next)) {
                return new ThreadOutcome.Finished(resumed);
            }
            if (resumed.hasFrames()) {
                throw new JobFailure("job " + job.jobId() + " was checkpointed by an older release while a specialist"
                        + " worked, which this release cannot continue; submit it again");
            }
            List<Interrupt> undecided = undecided(thread, last);
            if (!undecided.isEmpty()) {
                // A redelivery of the job itself, not a resume: it parks again without any model call.
                LOG.info("job {} still waits for decisions on {} tool calls", BranchThreads.readable(thread.threadId()), undecided.size());
                return parked(resumed, undecided);
            }
            LOG.info("job {} resumes after step '{}'", BranchThreads.readable(thread.threadId()), last.get().getNodeId());
        }
        GraphInput graphInput = resumed != null ? GraphInput.resume() : GraphInput.args(input.get());
        DeepAgentState state = resumed;
        boolean ended = false;
        try {
            for (NodeOutput<DeepAgentState> output : compile(thread).stream(graphInput, config(thread))) {
                state = output.state();
                if (!START.equals(output.node()) && !END.equals(output.node())) {
                    thread.events().stateUpdate(output.node(), thread.agentId(), state.messages(), state.files(), state.todos());
                }
                ended = END.equals(output.node());
            }
        } catch (RuntimeException e) {
            if (Causes.find(e, Halt.Halted.class).isPresent()) {
                return new ThreadOutcome.Halted();
            }
            Optional<BranchesParked> parked = Causes.find(e, BranchesParked.class);
            if (parked.isPresent() && state != null) {
                return new ThreadOutcome.Parked(state, parked.get().interrupts());
            }
            throw GraphFailures.classify(e);
        }
        if (state == null) {
            throw new JobFailure("the agent graph produced no state");
        }
        // The graph stops without END only before the approval node (interruptBefore).
        return ended ? new ThreadOutcome.Finished(state) : parked(state, approvals.interrupts(state, thread.agentId()));
    }

    /** The calls a thread parked on when this run brings no decision for some of them; else none. */
    List<Interrupt> undecided(AgentThread thread, Optional<Checkpoint> last) {
        if (last.isEmpty() || !DeepAgentGraph.APPROVAL.equals(last.get().getNextNodeId())) {
            return List.of();
        }
        List<Interrupt> waiting = approvals.interrupts(new DeepAgentState(last.get().getState()), thread.agentId());
        return waiting.stream().allMatch(i -> job.decisions().containsKey(i.toolCallId())) ? List.of() : waiting;
    }

    private static ThreadOutcome parked(DeepAgentState state, List<Interrupt> interrupts) {
        if (interrupts.isEmpty()) {
            throw new JobFailure("the agent graph stopped before its end without a tool call to approve");
        }
        return new ThreadOutcome.Parked(state, interrupts);
    }

    private static RunnableConfig config(AgentThread thread) {
        return RunnableConfig.builder().threadId(thread.threadId()).build();
    }

    private CompiledGraph<DeepAgentState> compile(AgentThread thread) {
        try {
            return DeepAgentGraph.build(definition, agents, approvals, modelCall, job, thread, fanOut)
                    .compile(CompileConfig.builder()
                            .checkpointSaver(saver)
                            .interruptBefore(DeepAgentGraph.APPROVAL)
                            .recursionLimit(stepLimit + 2)
                            .build());
        } catch (GraphStateException e) {
            throw new IllegalStateException("the deep-agent graph does not compile", e);
        }
    }
}
