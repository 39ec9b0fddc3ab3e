package io.bizmatters.agentexecutor.checkpoint;

import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.Checkpoint;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Production runs in its own schema (POSTGRES_SCHEMA), set as currentSchema on the JDBC URL. */
class CheckpointSchemaTest {
    private static final String SCHEMA = "agent_executor_schema_test";

    @Test
    void worksInTheServiceSchemaAndOperatorsCanReadItFromAnotherSearchPath() throws Exception {
        TestServers.Postgres postgres = TestServers.postgres();
        Flyway.configure()
                .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(SCHEMA).defaultSchema(SCHEMA).createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        PGSimpleDataSource service = new PGSimpleDataSource();
        service.setUrl(postgres.jdbcUrl() + "?currentSchema=" + SCHEMA);
        service.setUser(postgres.user());
        service.setPassword(postgres.password());
        PostgresCheckpointSaver saver = new PostgresCheckpointSaver(service, false);
        RunnableConfig config = RunnableConfig.builder().threadId("job-in-schema").build();
        saver.put(config, Checkpoint.builder().nodeId("agent").nextNodeId("agent")
                .state(Map.of("messages", List.of(Map.of("role", "user", "content", "hi")))).build());
        saver.put(config, Checkpoint.builder().nodeId("agent").nextNodeId("__END__")
                .state(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"),
                        Map.of("role", "assistant", "content", "hello")))).build());

        assertThat(saver.get(config).orElseThrow().getNextNodeId()).isEqualTo("__END__");
        try (Connection operator = postgres.connect();
             PreparedStatement query = operator.prepareStatement("SELECT " + SCHEMA + ".checkpoint_state(thread_id, id) "
                     + "#>> '{messages,1,content}' FROM " + SCHEMA + ".checkpoints WHERE thread_id = ? ORDER BY id DESC LIMIT 1")) {
            query.setString(1, "job-in-schema");
            try (ResultSet result = query.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo("hello");
            }
        }
    }
}
