package io.bizmatters.agentexecutor.testsupport;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * A pool that can hand out one connection whose PostgreSQL session the server has just ended
 * ({@code pg_terminate_backend}), as a sub-second restart or a network blip leaves it: its next
 * statement fails with the driver's real I/O error. Every other connection comes from the pool.
 */
public final class BlippingDataSource implements DataSource {
    private final DataSource pool;
    private final TestServers.Postgres postgres;
    private volatile boolean blipNext;

    public BlippingDataSource(DataSource pool, TestServers.Postgres postgres) {
        this.pool = pool;
        this.postgres = postgres;
    }

    /** The next connection handed out is one whose session PostgreSQL has terminated. */
    public void blipNextConnection() {
        blipNext = true;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!blipNext) {
            return pool.getConnection();
        }
        blipNext = false;
        Connection doomed = postgres.connect();
        int backend;
        try (Statement s = doomed.createStatement(); var row = s.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            backend = row.getInt(1);
        }
        try (Connection admin = pool.getConnection(); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + backend + ")");
        }
        return doomed;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return Logger.getLogger("blipping-data-source");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }

    static {
        // DriverManager must know the PostgreSQL driver before postgres.connect() in a fresh JVM.
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
