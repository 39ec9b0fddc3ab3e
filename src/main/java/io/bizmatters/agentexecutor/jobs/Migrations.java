package io.bizmatters.agentexecutor.jobs;

import io.bizmatters.agentexecutor.config.PostgresSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The database schema, owned by Flyway scripts in {@code db/migration}. Run once per release by
 * the {@code migrate} command (the Kubernetes init container), never by the service itself, so
 * many pods starting at once never race on DDL.
 */
public final class Migrations {
    private Migrations() {
    }

    /** Creates the schema if missing and applies pending scripts; returns how many were applied. */
    public static int apply(PostgresSettings postgres) {
        Flyway flyway = Flyway.configure()
                .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(postgres.schema())
                .defaultSchema(postgres.schema())
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load();
        MigrateResult result = flyway.migrate();
        return result.migrationsExecuted;
    }
}
