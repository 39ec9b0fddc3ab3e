package io.bizmatters.agentexecutor.jobs;

import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.flywaydb.core.Flyway;
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
        String schema = newSchemaName("migrations_");
        PostgresSettings postgres = inSchema(schema);

        int firstRun = Migrations.apply(postgres);
        String columnsAfterFirstRun = jobsColumns(schema);
        int secondRun = Migrations.apply(postgres);

        assertThat(firstRun).isPositive();
        assertThat(columnsAfterFirstRun).isEqualTo(
                "id,trace_id,status,created_at,started_at,finished_at,attempts,result,error,usage,lease_owner,lease_until,result_published_at,delivery_spans");
        assertThat(secondRun).isZero();
        assertThat(jobsColumns(schema)).isEqualTo(columnsAfterFirstRun);
    }

    @Test
    void theLeaseMigrationAppliesOnTopOfV1AndV2AndLeavesEarlierRowsWithoutALease() throws Exception {
        String schema = newSchemaName("lease_upgrade_");
        PostgresSettings postgres = inSchema(schema);
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('before-v3', 't', 'running')");
        }

        int applied = Migrations.apply(postgres);

        assertThat(applied).as("V3 and the migrations after it").isGreaterThanOrEqualTo(1);
        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT status, lease_owner, lease_until FROM " + schema + ".jobs WHERE id = 'before-v3'")) {
            row.next();
            assertThat(row.getString("status")).isEqualTo("running");
            assertThat(row.getString("lease_owner")).isNull();
            assertThat(row.getObject("lease_until")).isNull();
        }
    }

    @Test
    void aFailingMigrationThrowsNamingTheDatabase() {
        Map<String, String> environment = new HashMap<>(TestServers.serviceEnvironment());
        environment.put("POSTGRES_DB", "no_such_database_" + UUID.randomUUID().toString().substring(0, 8));

        assertThatThrownBy(() -> Migrations.apply(PostgresSettings.fromEnvironment(environment)))
                .hasMessageContaining("no_such_database_");
    }

    private static String newSchemaName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static PostgresSettings inSchema(String schema) {
        Map<String, String> environment = new HashMap<>(TestServers.serviceEnvironment());
        environment.put("POSTGRES_SCHEMA", schema);
        return PostgresSettings.fromEnvironment(environment);
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
