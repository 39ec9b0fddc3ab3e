package io.bizmatters.agentexecutor.config;

import java.util.Map;

/** Where the jobs table and the checkpoints live. The password never appears in {@link #toString()}. */
public record PostgresSettings(String host, int port, String database, String user, String password,
                               String schema, int poolSize) {

    /** Reads only what the {@code migrate} command needs, so the init container needs no other variable. */
    public static PostgresSettings fromEnvironment(Map<String, String> env) {
        return SettingsReader.read(env, PostgresSettings::from);
    }

    public static PostgresSettings from(SettingsReader reader) {
        return new PostgresSettings(
                reader.required("POSTGRES_HOST"),
                reader.positiveInt("POSTGRES_PORT"),
                reader.text("POSTGRES_DB"),
                reader.text("POSTGRES_USER"),
                reader.requiredSecret("POSTGRES_PASSWORD"),
                reader.text("POSTGRES_SCHEMA"),
                reader.positiveInt("POSTGRES_POOL_SIZE"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?currentSchema=" + schema;
    }

    @Override
    public String toString() {
        return "postgres " + user + "@" + host + ":" + port + "/" + database + " schema " + schema + " pool " + poolSize;
    }
}
