package io.bizmatters.agentexecutor.checkpoint;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.bizmatters.agentexecutor.testsupport.TestServers;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** This JVM's test database, migrated by Flyway from the service's own migration scripts. */
public final class CheckpointDatabase {
    private static HikariDataSource dataSource;
    private static boolean migrated;

    private CheckpointDatabase() {
    }

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            dataSource = newPool();
        }
        return dataSource;
    }

    /** A pool of its own on the migrated database, for a caller that must close it. */
    static HikariDataSource newPool() {
        TestServers.Postgres postgres = migrated();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl() + "?currentSchema=public");
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static synchronized TestServers.Postgres migrated() {
        TestServers.Postgres postgres = TestServers.postgres();
        if (!migrated) {
            Flyway.configure()
                    .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                    .defaultSchema("public")
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            migrated = true;
        }
        return postgres;
    }

    /** A PostgreSQL DataSource on a port where nothing listens. */
    static DataSource unreachable() {
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setServerNames(new String[] {"127.0.0.1"});
        down.setPortNumbers(new int[] {TestServers.freePort()});
        down.setDatabaseName("nowhere");
        down.setUser("postgres");
        down.setConnectTimeout(2);
        return down;
    }

    public static long count(String sql, Object... parameters) {
        return query(sql, parameters, result -> result.next() ? result.getLong(1) : 0L);
    }

    static String text(String sql, Object... parameters) {
        return query(sql, parameters, result -> result.next() ? result.getString(1) : null);
    }

    static void execute(String sql, Object... parameters) {
        query(sql, parameters, result -> null);
    }

    private interface Reader<T> {
        T read(ResultSet result) throws SQLException;
    }

    private static <T> T query(String sql, Object[] parameters, Reader<T> reader) {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            if (!statement.execute()) {
                return reader.read(null);
            }
            try (ResultSet result = statement.getResultSet()) {
                return reader.read(result);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }
}
