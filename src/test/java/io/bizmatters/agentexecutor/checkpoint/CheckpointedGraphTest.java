package io.bizmatters.agentexecutor.checkpoint;

import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphInput;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.bsc.langgraph4j.state.AgentState;
import org.bsc.langgraph4j.state.Channels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaverTest.newThread;
import static io.bizmatters.agentexecutor.checkpoint.PostgresCheckpointSaverTest.threadOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/** A real LangGraph4j graph of plain Java nodes, checkpointed by our saver. */
class CheckpointedGraphTest {
    private static final List<String> NODES = List.of("plan", "research", "write", "review");

    /** How often each node ran; "write" fails on its first call when asked to, like a crashed pod. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Test
    void writesACheckpointPerStep() throws Exception {
        RunnableConfig config = newThread();
        PostgresCheckpointSaver saver = new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false);

        AgentState result = graph(saver, false).invoke(Map.of("messages", List.of(userMessage())), config).orElseThrow();

        assertThat(contents(result.data())).containsExactly("go", "plan done", "research done", "write done", "review done");
        assertThat(saver.list(config)).extracting(Checkpoint::getNodeId)
                .containsExactly("review", "write", "research", "plan");
        assertThat(saver.get(config).orElseThrow().getNextNodeId()).isEqualTo(END);
        assertThat(contents(saver.get(config).orElseThrow().getState()))
                .containsExactly("go", "plan done", "research done", "write done", "review done");
        assertThat(CheckpointDatabase.count("SELECT count(*) FROM checkpoints WHERE thread_id = ?", threadOf(config)))
                .isEqualTo(4);
    }

    @Test
    void aRedeliveredJobResumesAtTheFailedNodeWithoutRerunningFinishedOnes() throws Exception {
        RunnableConfig config = newThread();

        assertThatThrownBy(() -> graph(new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false), true)
                .invoke(Map.of("messages", List.of(userMessage())), config))
                .hasStackTraceContaining("pod crashed in write");
        assertThat(callCounts()).isEqualTo(Map.of("plan", 1, "research", 1, "write", 1));

        PostgresCheckpointSaver afterRestart = new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false);
        AgentState result = graph(afterRestart, true).invoke(GraphInput.resume(), config).orElseThrow();

        assertThat(callCounts()).isEqualTo(Map.of("plan", 1, "research", 1, "write", 2, "review", 1));
        assertThat(contents(result.data())).containsExactly("go", "plan done", "research done", "write done", "review done");
        assertThat(afterRestart.list(config)).extracting(Checkpoint::getNodeId)
                .containsExactly("review", "write", "research", "plan");
    }

    @Test
    void aFinishedJobRedeliveredAfterRetentionReturnsItsResultWithoutRunningAnyNode() throws Exception {
        RunnableConfig config = newThread();
        graph(new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false), false)
                .invoke(Map.of("messages", List.of(userMessage())), config);
        new CheckpointRetention(CheckpointDatabase.dataSource(), new RetentionPolicy(true, 7)).jobFinished(threadOf(config));
        calls.clear();

        AgentState result = graph(new PostgresCheckpointSaver(CheckpointDatabase.dataSource(), false), false)
                .invoke(GraphInput.resume(), config).orElseThrow();

        assertThat(calls).isEmpty();
        assertThat(contents(result.data())).containsExactly("go", "plan done", "research done", "write done", "review done");
    }

    @Test
    void postgresDownDuringARunSurfacesAsAnInfrastructureFault() {
        RunnableConfig config = newThread();
        CompiledGraph<AgentState> graph = graph(new PostgresCheckpointSaver(CheckpointDatabase.unreachable(), false), false);

        assertThatThrownBy(() -> graph.invoke(Map.of("messages", List.of(userMessage())), config))
                .satisfies(thrown -> assertThat(causes(thrown)).anySatisfy(cause ->
                        assertThat(cause).isInstanceOf(InfrastructureFault.class)));
    }

    private CompiledGraph<AgentState> graph(BaseCheckpointSaver saver, boolean writeCrashesFirst) {
        try {
            StateGraph<AgentState> graph = new StateGraph<>(Map.of("messages", Channels.appender(ArrayList::new)), AgentState::new);
            for (String node : NODES) {
                graph.addNode(node, node_async(state -> {
                    int call = calls.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet();
                    if (writeCrashesFirst && node.equals("write") && call == 1) {
                        throw new IllegalStateException("pod crashed in write");
                    }
                    return Map.of("messages", List.of(Map.of("role", "assistant", "content", node + " done")));
                }));
            }
            graph.addEdge(START, NODES.getFirst());
            for (int i = 1; i < NODES.size(); i++) {
                graph.addEdge(NODES.get(i - 1), NODES.get(i));
            }
            graph.addEdge(NODES.getLast(), END);
            return graph.compile(CompileConfig.builder().checkpointSaver(saver).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Integer> callCounts() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        calls.forEach((node, count) -> counts.put(node, count.get()));
        return counts;
    }

    private static Map<String, Object> userMessage() {
        return Map.of("role", "user", "content", "go");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> contents(Map<String, Object> state) {
        return ((List<Map<String, Object>>) state.get("messages")).stream().map(m -> m.get("content")).toList();
    }

    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
