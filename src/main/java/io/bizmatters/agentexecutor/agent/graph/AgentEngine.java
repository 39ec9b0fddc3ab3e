package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
import io.bizmatters.agentexecutor.agent.JobControl;
import io.bizmatters.agentexecutor.agent.definition.AgentDefinition;
import io.bizmatters.agentexecutor.agent.definition.AgentSpec;
import io.bizmatters.agentexecutor.agent.definition.DefinitionParser;
import io.bizmatters.agentexecutor.agent.models.ChatModelFactory;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;
import io.bizmatters.agentexecutor.agent.tools.BoundTool;
import io.bizmatters.agentexecutor.agent.tools.BuiltinTool;
import io.bizmatters.agentexecutor.agent.tools.FileSystemTools;
import io.bizmatters.agentexecutor.agent.tools.TaskTool;
import io.bizmatters.agentexecutor.agent.tools.TodoTool;
import io.bizmatters.agentexecutor.agent.tools.ToolCatalog;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.FailureKind;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import io.bizmatters.agentexecutor.streaming.JobEvents;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.bsc.langgraph4j.StateGraph.END;

/**
 * Runs one job's agent definition as a deep-agent graph, checkpointed under thread id = job id
 * (its specialists and parallel tool calls on branch threads under it, docs/agent-engine.md).
 * A job whose thread already has an unfinished checkpoint resumes from it (a redelivery after a
 * crash); one whose thread is finished returns the stored answer without calling any model.
 * A job whose model calls a tool its definition's {@code interrupt_on} names parks before that
 * call (docs/approvals.md): the outcome carries the calls that wait, the stream gets an
 * {@code interrupt} event, and a later run with the decisions continues from the checkpoint.
 * The job's stream ends in {@code end} or {@code error} once, at the very end; not on an
 * {@link InfrastructureFault}, where the job will be redelivered and the stream goes on.
 */
public final class AgentEngine implements AgentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEngine.class);

    private final BaseCheckpointSaver saver;
    private final ToolCatalog catalog;
    private final JobEventPublisher publisher;
    private final ChatModelFactory models;
    private final StreamingModelCall modelCall;
    private final List<BuiltinTool> fileTools;
    private final BuiltinTool todoTool = TodoTool.tool();
    private final int stepLimit;
    private final int maxParallel;
    private final JobControl.Lookup controls;
    private final EngineTelemetry telemetry;

    /** An engine whose jobs nobody can cancel and that have no deadline (a job's limits still hold). */
    public AgentEngine(BaseCheckpointSaver saver, ToolCatalog catalog, JobEventPublisher publisher,
                       EngineSettings settings, Clock clock) {
        this(saver, catalog, publisher, settings, clock, JobControl.Lookup.NONE, EngineTelemetry.off());
    }

    /**
     * @param controls  the control of each running job: its cancels and its deadline
     * @param telemetry spans and metrics of every step, model call and tool execution
     */
    public AgentEngine(BaseCheckpointSaver saver, ToolCatalog catalog, JobEventPublisher publisher,
                       EngineSettings settings, Clock clock, JobControl.Lookup controls, EngineTelemetry telemetry) {
        this.controls = controls;
        this.telemetry = telemetry;
        this.saver = saver;
        this.catalog = catalog;
        this.publisher = publisher;
        this.models = new ChatModelFactory(settings.models());
        this.modelCall = new StreamingModelCall(settings.models());
        this.fileTools = new FileSystemTools(clock).tools();
        this.stepLimit = settings.stepLimit();
        this.maxParallel = settings.maxParallelToolCalls();
    }

    @Override
    public AgentOutcome run(AgentJob job) {
        JobEvents events = publisher.forJob(job.jobId());
        JobControl control = controls.of(job.jobId());
        try {
            AgentOutcome outcome = execute(job, events, control);
            if (outcome.isParked()) {
                events.interrupted(outcome.interrupts());
            } else {
                events.end();
            }
            return outcome;
        } catch (RuntimeException e) {
            // A job stopped mid-call ends in whatever the interruption broke: the stop is the real cause.
            RuntimeException failure = control.stopped().<RuntimeException>map(stop -> stop).orElse(e);
            if (FailureKind.of(failure).endsTheJob()) {
                events.error(failure.getMessage(), failure.getClass().getSimpleName());
            }
            throw failure;
        }
    }

    private AgentOutcome execute(AgentJob job, JobEvents events, JobControl control) {
        control.check();
        AgentDefinition definition = DefinitionParser.parse(job.agentDefinition());
        events.introduceAgents(definition.agents().collect(Collectors.toMap(AgentSpec::id, AgentSpec::name,
                (a, b) -> a, LinkedHashMap::new)), definition.orchestrator().id());
        Function<String, String> names = agentNames(definition);
        AgentThread root = AgentThread.job(job.jobId(), definition.orchestrator().id(), events);
        Optional<Checkpoint> last = saver.get(RunnableConfig.builder().threadId(job.jobId()).build());
        if (last.isPresent() && END.equals(last.get().getNextNodeId())) {
            // Before any model or tool is set up: a finished job must not fail on a key removed since.
            LOG.info("job {} finished before; returning its stored answer", job.jobId());
            return outcome(new DeepAgentState(last.get().getState()), names);
        }
        if (last.isEmpty() && job.isResume()) {
            throw new JobFailure("job " + job.jobId() + " waited for decisions, but its checkpoints are gone; it cannot resume");
        }
        Map<String, AgentToolbox> agents = toolboxes(definition);
        agents.values().stream().filter(a -> a.model().offline()).findFirst()
                .ifPresent(a -> LOG.warn("job {} runs on the OFFLINE MODEL: its answers are canned, not an LLM's", job.jobId()));
        StepGuard guard = new StepGuard(control, new Budget(job.limits(), names), stepLimit, maxParallel);
        JobRun run = new JobRun(definition, agents, new Approvals(agents), modelCall, saver,
                new JobScope(job.jobId(), job.traceId(), guard, job.decisions(), telemetry), stepLimit);
        return switch (run.run(root, last, () -> JobInput.initialState(job.inputPayload(), definition))) {
            case ThreadOutcome.Finished finished -> outcome(finished.state(), names);
            case ThreadOutcome.Parked parked -> AgentOutcome.waitingFor(parked.interrupts(),
                    TokenUsageBook.outcome(parked.state().usage()), AgentUsageBook.outcome(parked.state().agentUsage(), names));
            case ThreadOutcome.Halted halted -> throw new IllegalStateException("the job's own thread was halted");
        };
    }

    private Map<String, AgentToolbox> toolboxes(AgentDefinition definition) {
        Map<String, BoundTool> bound = catalog.resolve(definition.namedTools(graphToolNames()));
        Map<String, AgentToolbox> agents = new LinkedHashMap<>();
        definition.agents().forEach(spec -> agents.put(spec.id(), toolbox(definition, spec, bound)));
        return agents;
    }

    private AgentToolbox toolbox(AgentDefinition definition, AgentSpec spec, Map<String, BoundTool> bound) {
        boolean orchestrator = spec.id().equals(definition.orchestrator().id());
        Map<String, BuiltinTool> builtins = new LinkedHashMap<>();
        fileTools.forEach(tool -> builtins.put(tool.name(), tool));
        if (orchestrator || spec.tools().contains(todoTool.name())) {
            builtins.put(todoTool.name(), todoTool);
        }
        Map<String, BoundTool> own = spec.tools().stream().filter(bound::containsKey).distinct()
                .collect(Collectors.toMap(Function.identity(), bound::get, (a, b) -> a, LinkedHashMap::new));
        List<AgentSpec> delegates = orchestrator ? definition.specialists()
                : spec.tools().contains(TaskTool.NAME) ? definition.specialists().stream().filter(s -> s != spec).toList()
                : List.of();
        AgentToolbox toolbox = new AgentToolbox(spec, models.create(spec.model()), delegates, builtins, own);
        spec.interruptOn().forEach((tool, policy) -> {
            if (!toolbox.hasTool(tool)) {
                throw new BadInput(policy.path(), policy.path() + " names no tool of agent '" + spec.id()
                        + "'; its tools are: " + toolbox.toolNames());
            }
        });
        return toolbox;
    }

    /** The tools the graph itself runs, which no catalog resolves: the built-ins and {@code task}. */
    private List<String> graphToolNames() {
        return Stream.concat(Stream.concat(fileTools.stream(), Stream.of(todoTool)).map(BuiltinTool::name),
                Stream.of(TaskTool.NAME)).toList();
    }

    private static AgentOutcome outcome(DeepAgentState state, Function<String, String> names) {
        return new AgentOutcome(state.finalAnswer(), TokenUsageBook.outcome(state.usage()),
                AgentUsageBook.outcome(state.agentUsage(), names));
    }

    /** How messages and usage name an agent: "orchestrator", or a specialist by the name task calls it. */
    private static Function<String, String> agentNames(AgentDefinition definition) {
        String orchestrator = definition.orchestrator().id();
        return agentId -> agentId.equals(orchestrator) ? "orchestrator"
                : definition.agentById(agentId).map(AgentSpec::name).orElse(agentId);
    }
}
