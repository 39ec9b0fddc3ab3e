package io.bizmatters.agentexecutor.config;

import java.util.Map;

/** Where the jobs table and the checkpoints live. The password never appears in {@link #toString()}. */
public record PostgresSettings(String host, int port, String database, String user, String password,
                               String schema, int poolSize) {

    /** Reads only what the {@code migrate} command needs, so the init container needs no other variable. */
    public static PostgresSettings fromEnvironment(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        PostgresSettings settings = read(reader);
        reader.failOnProblems();
        return settings;
    }

    static PostgresSettings read(EnvironmentReader reader) {
        return new PostgresSettings(
                reader.required("POSTGRES_HOST"),
                reader.positiveInt("POSTGRES_PORT", 5432),
                reader.optional("POSTGRES_DB", "langgraph_dev"),
                reader.optional("POSTGRES_USER", "postgres"),
                reader.requiredSecret("POSTGRES_PASSWORD"),
                reader.optional("POSTGRES_SCHEMA", "agent_executor"),
                reader.positiveInt("POSTGRES_POOL_SIZE", 20));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?currentSchema=" + schema;
    }

    @Override
    public String toString() {
        return "postgres " + user + "@" + host + ":" + port + "/" + database + " schema " + schema + " pool " + poolSize;
    }
}
