package io.bizmatters.agentexecutor.agent.graph;

import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.agent.AgentOutcome;
import io.bizmatters.agentexecutor.agent.AgentRunner;
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
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.streaming.JobEventPublisher;
import io.bizmatters.agentexecutor.streaming.JobEvents;
import io.bizmatters.agentexecutor.telemetry.EngineTelemetry;
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
 * Runs one job's agent definition as a deep-agent graph, checkpointed under thread id = job id.
 * A job whose thread already has an unfinished checkpoint resumes from it (a redelivery after a
 * crash); one whose thread is finished returns the stored answer without calling any model.
 * The job's stream always ends in {@code end} or {@code error}, except on an
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
    private final EngineTelemetry telemetry;

    public AgentEngine(BaseCheckpointSaver saver, ToolCatalog catalog, JobEventPublisher publisher,
                       EngineSettings settings, Clock clock) {
        this(saver, catalog, publisher, settings, clock, EngineTelemetry.off());
    }

    /** @param telemetry spans and metrics of every step, model call and tool execution */
    public AgentEngine(BaseCheckpointSaver saver, ToolCatalog catalog, JobEventPublisher publisher,
                       EngineSettings settings, Clock clock, EngineTelemetry telemetry) {
        this.telemetry = telemetry;
        this.saver = saver;
        this.catalog = catalog;
        this.publisher = publisher;
        this.models = new ChatModelFactory(settings.models());
        this.modelCall = new StreamingModelCall(settings.models());
        this.fileTools = new FileSystemTools(clock).tools();
        this.stepLimit = settings.stepLimit();
    }

    @Override
    public AgentOutcome run(AgentJob job) {
        JobEvents events = publisher.forJob(job.jobId());
        try {
            AgentOutcome outcome = execute(job, events);
            events.end();
            return outcome;
        } catch (BadInput | JobFailure e) {
            events.error(e.getMessage(), e.getClass().getSimpleName());
            throw e;
        }
    }

    private AgentOutcome execute(AgentJob job, JobEvents events) {
        AgentDefinition definition = DefinitionParser.parse(job.agentDefinition());
        RunnableConfig config = RunnableConfig.builder().threadId(job.jobId()).build();
        Optional<Checkpoint> last = saver.get(config);
        if (last.isPresent() && END.equals(last.get().getNextNodeId())) {
            // Before any model or tool is set up: a finished job must not fail on a key removed since.
            LOG.info("job {} finished before; returning its stored answer", job.jobId());
            return outcome(new DeepAgentState(last.get().getState()));
        }
        GraphInput input = last.isPresent() ? GraphInput.resume()
                : GraphInput.args(JobInput.initialState(job.inputPayload(), definition));
        CompiledGraph<DeepAgentState> graph = compile(definition, new JobScope(job.jobId(), job.traceId(), events, stepLimit, telemetry));
        if (last.isPresent()) {
            LOG.info("job {} resumes after step '{}'", job.jobId(), last.get().getNodeId());
        }
        DeepAgentState finalState = null;
        try {
            for (NodeOutput<DeepAgentState> output : graph.stream(input, config)) {
                DeepAgentState state = output.state();
                if (DeepAgentGraph.AGENT.equals(output.node()) || DeepAgentGraph.TOOLS.equals(output.node())) {
                    events.stateUpdate(output.node(), state.messages(), state.files(), state.todos());
                }
                finalState = state;
            }
        } catch (RuntimeException e) {
            throw GraphFailures.classify(e);
        }
        if (finalState == null) {
            throw new JobFailure("the agent graph produced no state");
        }
        return outcome(finalState);
    }

    private CompiledGraph<DeepAgentState> compile(AgentDefinition definition, JobScope scope) {
        List<String> builtinNames = builtinNames();
        Map<String, BoundTool> bound = catalog.resolve(definition.namedTools(builtinNames));
        Map<String, AgentToolbox> agents = new LinkedHashMap<>();
        definition.agents().forEach(spec -> agents.put(spec.id(), toolbox(definition, spec, bound)));
        agents.values().stream().filter(a -> a.model().offline()).findFirst()
                .ifPresent(a -> LOG.warn("job {} runs on the OFFLINE MODEL: its answers are canned, not an LLM's",
                        scope.jobId()));
        try {
            return DeepAgentGraph.build(definition, agents, modelCall, scope).compile(CompileConfig.builder()
                    .checkpointSaver(saver)
                    .recursionLimit(stepLimit + 2)
                    .build());
        } catch (GraphStateException e) {
            throw new IllegalStateException("the deep-agent graph does not compile", e);
        }
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
        return new AgentToolbox(spec, models.create(spec.model()),
                orchestrator && !definition.specialists().isEmpty() ? TaskTool.specification(definition.specialists()) : null,
                builtins, own);
    }

    private List<String> builtinNames() {
        return Stream.concat(fileTools.stream(), Stream.of(todoTool))
                .map(BuiltinTool::name).toList();
    }

    private static AgentOutcome outcome(DeepAgentState state) {
        return new AgentOutcome(state.finalAnswer(), TokenUsageBook.outcome(state.usage()));
    }
}
