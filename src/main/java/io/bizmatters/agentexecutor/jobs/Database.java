package io.bizmatters.agentexecutor.jobs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.bizmatters.agentexecutor.config.PostgresSettings;

/** The one connection pool of the service, shared by the jobs table and the checkpoint saver. */
public final class Database {
    private Database() {
    }

    public static HikariDataSource pool(PostgresSettings postgres) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("agent-executor");
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(postgres.poolSize());
        // Opening all of them at start-up competed with the start itself (about 0.3 s of the 2 s to
        // ready on 2 cores, docs/performance.md); the pool grows to its size when jobs need it.
        config.setMinimumIdle(Math.min(2, postgres.poolSize()));
        // A down database must turn into a quick InfrastructureFault (503 / nak), not a hung job.
        config.setConnectionTimeout(5_000);
        // Start even when PostgreSQL is down: /ready reports it, and jobs are naked until it is back.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
