package io.bizmatters.agentexecutor.jobs;

import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {

    @Test
    void migrationsCreateTheSchemaAndTheJobsTableAndASecondRunChangesNothing() throws Exception {
        String schema = "migrations_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> environment = new HashMap<>(TestServers.serviceEnvironment());
        environment.put("POSTGRES_SCHEMA", schema);
        PostgresSettings postgres = PostgresSettings.fromEnvironment(environment);

        int firstRun = Migrations.apply(postgres);
        String columnsAfterFirstRun = jobsColumns(schema);
        int secondRun = Migrations.apply(postgres);

        assertThat(firstRun).isPositive();
        assertThat(columnsAfterFirstRun).isEqualTo(
                "id,trace_id,status,created_at,started_at,finished_at,attempts,result,error,usage");
        assertThat(secondRun).isZero();
        assertThat(jobsColumns(schema)).isEqualTo(columnsAfterFirstRun);
    }

    @Test
    void aFailingMigrationThrowsNamingTheDatabase() {
        Map<String, String> environment = new HashMap<>(TestServers.serviceEnvironment());
        environment.put("POSTGRES_DB", "no_such_database_" + UUID.randomUUID().toString().substring(0, 8));

        assertThatThrownBy(() -> Migrations.apply(PostgresSettings.fromEnvironment(environment)))
                .hasMessageContaining("no_such_database_");
    }

    private static String jobsColumns(String schema) throws Exception {
        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                     + " WHERE table_schema = '" + schema + "' AND table_name = 'jobs'")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
