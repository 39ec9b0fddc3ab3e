package io.bizmatters.agentexecutor.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.bizmatters.agentexecutor.agent.AgentJob;
import io.bizmatters.agentexecutor.cloudevents.ResultEvents;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Data PostgreSQL refuses (SQLSTATE class 22) is the job's fault, against the real database. */
class JobStoreBadDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HikariDataSource dataSource;
    private static JobStore jobs;

    @BeforeAll
    static void migratedDatabase() {
        PostgresSettings postgres = PostgresSettings.fromEnvironment(TestServers.serviceEnvironment());
        Migrations.apply(postgres);
        dataSource = Database.pool(postgres);
        jobs = new JobStore(dataSource, JSON, new ResultEvents(JSON, "agent-executor-service"));
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Test
    void anIdPostgresCannotStoreIsBadInputThatDoesNotQuoteIt() {
        AgentJob job = new AgentJob("job\u0000with-nul", "trace", JSON.createObjectNode(), JSON.createObjectNode());

        assertThatThrownBy(() -> jobs.claim(job))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.getMessage())
                        .contains("cannot store", "SQLSTATE 22").doesNotContain("with-nul"));
        assertThat(jobs.holdsLease(job)).isFalse();
    }
}
