package io.bizmatters.agentexecutor.checkpoint;

import com.zaxxer.hikari.HikariDataSource;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.state.AgentState;
import org.bsc.langgraph4j.state.Channels;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncEdgeAction.edge_async;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * What checkpointing an N-step agent job costs in PostgreSQL: rows, bytes and commits per step,
 * against what storing the whole state at every step would cost. The job alternates an "agent"
 * node (an assistant message with a tool call) and a "tools" node (a ~1.5 KB tool result, a file
 * write, a todo update), so the message list grows as in a real deep-agent run.
 * Run by scripts/bench/checkpoint-cost.sh.
 */
public final class CheckpointCostBench {
    private static final Random WORDS = new Random(42);
    private static final String[] VOCABULARY = ("the agent reads a file then plans research on market data and writes "
            + "a summary with numbers tables sources caveats follow up questions for the specialist team").split(" ");

    private CheckpointCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String threadId = "bench-" + UUID.randomUUID();
        try (HikariDataSource pool = CheckpointDatabase.newPool()) {
            long[] before = relationBytesAndCommits();
            graph(steps, pool).invoke(Map.of("messages", List.of(Map.of("role", "user", "content", text(40)))),
                    RunnableConfig.builder().threadId(threadId).build());
            pool.close(); // a backend flushes its transaction counts when it exits
            Thread.sleep(1_500);
            long[] after = relationBytesAndCommits();
            report(steps, threadId, after[0] - before[0], after[1] - before[1] - 1);
        }
        System.exit(0);
    }

    private static StateGraph<AgentState> agentJob(int steps) throws Exception {
        StateGraph<AgentState> graph = new StateGraph<>(Map.of("messages", Channels.appender(ArrayList::new)), AgentState::new);
        graph.addNode("agent", node_async(state -> {
            int turn = state.<List<?>>value("messages").orElseThrow().size();
            return Map.of("messages", List.of(Map.of("role", "assistant", "content", text(30),
                    "tool_calls", List.of(Map.of("id", "call_" + turn, "name", "web_search",
                            "arguments", Map.of("query", text(8)))))));
        }));
        graph.addNode("tools", node_async(state -> {
            int turn = state.<List<?>>value("messages").orElseThrow().size();
            return Map.of("messages", List.of(Map.of("role", "tool", "tool_call_id", "call_" + (turn - 1), "content", text(250))),
                    "files", Map.of("/report.md", Map.of("content", text(60 * turn))),
                    "todos", List.of(Map.of("content", "research step " + turn, "status", "in_progress")));
        }));
        // every node appends one message to the user's, so the list's size counts the super-steps done
        var continueOrEnd = edge_async(state ->
                state.<List<?>>value("messages").orElseThrow().size() > steps ? "done" : "next");
        graph.addEdge(START, "agent");
        graph.addConditionalEdges("agent", continueOrEnd, Map.of("done", END, "next", "tools"));
        graph.addConditionalEdges("tools", continueOrEnd, Map.of("done", END, "next", "agent"));
        return graph;
    }

    private static org.bsc.langgraph4j.CompiledGraph<AgentState> graph(int steps, HikariDataSource pool) throws Exception {
        return agentJob(steps).compile(CompileConfig.builder().checkpointSaver(new PostgresCheckpointSaver(pool, false)).build());
    }

    private static String text(int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(VOCABULARY[WORDS.nextInt(VOCABULARY.length)]).append(WORDS.nextInt(1000));
        }
        return text.toString();
    }

    private static long[] relationBytesAndCommits() throws SQLException {
        try (Connection connection = TestServers.postgres().connect();
             Statement query = connection.createStatement();
             ResultSet result = query.executeQuery("SELECT pg_total_relation_size('checkpoints'), xact_commit "
                     + "FROM pg_stat_database WHERE datname = current_database()")) {
            result.next();
            return new long[] {result.getLong(1), result.getLong(2)};
        }
    }

    private static void report(int steps, String threadId, long relationBytes, long commits) throws SQLException {
        try (Connection connection = TestServers.postgres().connect()) {
            System.out.printf("checkpoint cost of a %d-step job (thread %s)%n", steps, threadId);
            System.out.printf("%4s %-8s %-8s %10s %12s %14s%n", "row", "node", "next", "row bytes", "delta JSON", "whole JSON");
            long rows = 0;
            long rowBytes = 0;
            long deltaJson = 0;
            long wholeJson = 0;
            try (PreparedStatement perRow = connection.prepareStatement("SELECT node_id, next_node_id, pg_column_size(c.*), "
                    + "octet_length(channels::text) + coalesce(octet_length(appended::text), 0), "
                    + "octet_length(checkpoint_state(thread_id, id)::text) FROM checkpoints c WHERE thread_id = ? ORDER BY id")) {
                perRow.setString(1, threadId);
                try (ResultSet row = perRow.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        rowBytes += row.getLong(3);
                        deltaJson += row.getLong(4);
                        wholeJson += row.getLong(5);
                        System.out.printf("%4d %-8s %-8s %10d %12d %14d%n", rows, row.getString(1), row.getString(2),
                                row.getLong(3), row.getLong(4), row.getLong(5));
                    }
                }
            }
            long wholeRelationBytes = wholeStateRelationBytes(connection, threadId);
            System.out.printf("rows: %d (one per super-step; START writes none); INSERTs: %d%n", rows, rows);
            System.out.printf("write commits (distinct xmin of the rows): %d; all commits in the database "
                    + "(pg_stat_database.xact_commit, incl. the graph's one read and the pool's connection setup): %d%n",
                    writeCommits(connection, threadId), commits);
            System.out.printf("JSON written, delta rows: %d bytes (%d per row); whole state per row would be %d bytes (%.1fx)%n",
                    deltaJson, deltaJson / rows, wholeJson, (double) wholeJson / deltaJson);
            System.out.printf("stored row bytes (pg_column_size, after TOAST compression): %d (%d per row)%n",
                    rowBytes, rowBytes / rows);
            System.out.printf("stored row bytes of the same rows with the whole state: %d (%d per row)%n",
                    wholeRowBytes(connection), wholeRowBytes(connection) / rows);
            System.out.printf("pg_total_relation_size growth (8 KB pages, indexes included): delta table %d bytes; "
                    + "same rows with whole state %d bytes%n", relationBytes, wholeRelationBytes);
        }
    }

    private static long writeCommits(Connection connection, String threadId) throws SQLException {
        return single(connection, "SELECT count(DISTINCT xmin::text) FROM checkpoints WHERE thread_id = '" + threadId + "'");
    }

    private static long wholeRowBytes(Connection connection) throws SQLException {
        return single(connection, "SELECT sum(pg_column_size(w.*)) FROM whole_state_checkpoints w");
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement query = connection.createStatement(); ResultSet result = query.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Builds the whole-state layout beside ours, from the same rows, to measure it rather than guess. */
    private static long wholeStateRelationBytes(Connection connection, String threadId) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TEMP TABLE whole_state_checkpoints (LIKE checkpoints INCLUDING DEFAULTS)");
            ddl.execute("ALTER TABLE whole_state_checkpoints ADD PRIMARY KEY (thread_id, id)");
            try (PreparedStatement copy = connection.prepareStatement("INSERT INTO whole_state_checkpoints "
                    + "(thread_id, id, checkpoint_id, node_id, next_node_id, channels, created_at) "
                    + "SELECT thread_id, id, checkpoint_id, node_id, next_node_id, checkpoint_state(thread_id, id), created_at "
                    + "FROM checkpoints WHERE thread_id = ?")) {
                copy.setString(1, threadId);
                copy.executeUpdate();
            }
            return single(connection, "SELECT pg_total_relation_size('whole_state_checkpoints')");
        }
    }
}
