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
                "id,trace_id,status,created_at,started_at,finished_at,attempts,result,error,usage,lease_owner,lease_until,result_published_at,"
                        + "cancel_requested_at,cancel_reason,deadline_at,limits,"
                        + "agent_definition,interrupts,decisions,interrupted_at,resumed_at,parked_seconds,delivery_spans");
        assertThat(secondRun).isZero();
        assertThat(jobsColumns(schema)).isEqualTo(columnsAfterFirstRun);
    }

    @Test
    void theLeaseMigrationAppliesOnTopOfV1AndV2AndLeavesEarlierRowsWithoutALease() throws Exception {
        String schema = newSchemaName("lease_upgrade_");
        PostgresSettings postgres = inSchema(schema);
        migrateTo(postgres, schema, "2");
        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('before-v3', 't', 'running')");
        }

        int applied = migrateTo(postgres, schema, "3");

        assertThat(applied).isEqualTo(1);
        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT status, lease_owner, lease_until FROM " + schema + ".jobs WHERE id = 'before-v3'")) {
            row.next();
            assertThat(row.getString("status")).isEqualTo("running");
            assertThat(row.getString("lease_owner")).isNull();
            assertThat(row.getObject("lease_until")).isNull();
        }
    }

    /** Jobs running through the upgrade keep running with no cancel and no deadline; the new status is allowed. */
    @Test
    void theJobControlMigrationKeepsEarlierRowsAndAllowsCancelledJobs() throws Exception {
        String schema = newSchemaName("job_control_upgrade_");
        PostgresSettings postgres = inSchema(schema);
        migrateTo(postgres, schema, "3");
        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('before-v5', 't', 'running')");
        }

        Migrations.apply(postgres);

        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement()) {
            try (ResultSet row = s.executeQuery("SELECT status, cancel_requested_at, deadline_at, parked_seconds FROM " + schema
                    + ".jobs WHERE id = 'before-v5'")) {
                row.next();
                assertThat(row.getString("status")).isEqualTo("running");
                assertThat(row.getObject("cancel_requested_at")).isNull();
                assertThat(row.getObject("deadline_at")).isNull();
                assertThat(row.getDouble("parked_seconds")).isZero();
            }
            s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('cancelled', NULL, 'cancelled')");
            assertThatThrownBy(() -> s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('x', 't', 'paused')"))
                    .hasMessageContaining("jobs_status_check");
        }
    }

    /** V6 replaces the status check whatever it is called, and keeps the rows from before it. */
    @Test
    void theInterruptMigrationReplacesTheStatusCheckAndKeepsEarlierRows() throws Exception {
        String schema = newSchemaName("interrupts_");
        PostgresSettings postgres = inSchema(schema);
        migrateTo(postgres, schema, "5");
        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + schema + ".jobs RENAME CONSTRAINT jobs_status_check TO some_other_name");
            s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('before-v6', 't', 'completed')");
        }

        Migrations.apply(postgres);

        try (Connection c = TestServers.postgres().connect(); Statement s = c.createStatement()) {
            try (ResultSet checks = s.executeQuery("SELECT string_agg(conname, ',') FROM pg_constraint WHERE contype = 'c' "
                    + "AND conrelid = '" + schema + ".jobs'::regclass")) {
                checks.next();
                assertThat(checks.getString(1)).isEqualTo("jobs_status_check");
            }
            for (String status : new String[] {"running", "completed", "failed", "cancelled", "interrupted"}) {
                s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('" + status + "', 't', '" + status + "')");
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO " + schema + ".jobs (id, trace_id, status) VALUES ('x', 't', 'parked')"))
                    .hasMessageContaining("jobs_status_check");
            try (ResultSet row = s.executeQuery("SELECT status, parked_seconds FROM " + schema + ".jobs WHERE id = 'before-v6'")) {
                row.next();
                assertThat(row.getString("status")).isEqualTo("completed");
                assertThat(row.getDouble("parked_seconds")).isZero();
            }
        }
    }

    @Test
    void aFailingMigrationThrowsNamingTheDatabase() {
        Map<String, String> environment = new HashMap<>(TestServers.serviceEnvironment());
        environment.put("POSTGRES_DB", "no_such_database_" + UUID.randomUUID().toString().substring(0, 8));

        assertThatThrownBy(() -> Migrations.apply(PostgresSettings.fromEnvironment(environment)))
                .hasMessageContaining("no_such_database_");
    }

    /** Applies the scripts up to {@code version}, as an older release left the schema; returns how many ran. */
    private static int migrateTo(PostgresSettings postgres, String schema, String version) {
        return Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("classpath:db/migration").target(version).load().migrate().migrationsExecuted;
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
