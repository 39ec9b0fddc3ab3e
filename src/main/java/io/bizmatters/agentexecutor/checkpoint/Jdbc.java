package io.bizmatters.agentexecutor.checkpoint;

import io.bizmatters.agentexecutor.failure.InfrastructureFault;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs checkpoint SQL on a pooled connection held only for the work, and turns an SQL failure
 * into an {@link InfrastructureFault}: the job is not at fault, it is retried and resumes. The
 * exception is bad data (SQLSTATE class 22: a NUL character in a string, which jsonb refuses, or a
 * broken delta chain): a retry would fail again, so it is not an outage.
 */
final class Jdbc {
    @FunctionalInterface
    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One statement, committed by autocommit. */
    <T> T call(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.on(connection);
        } catch (SQLException e) {
            throw fault(what, e);
        }
    }

    /** Several statements committed together, or not at all. */
    <T> T inTransaction(String what, Work<T> work) {
        return call(what, connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.on(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackKeeping(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private static void rollbackKeeping(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static RuntimeException fault(String what, SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
            return new IllegalArgumentException(what + " failed on bad checkpoint data: " + e.getMessage(), e);
        }
        return new InfrastructureFault("postgres", what + " failed: " + e.getMessage(), e);
    }
}
