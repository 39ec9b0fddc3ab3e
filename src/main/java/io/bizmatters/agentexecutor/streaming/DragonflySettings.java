package io.bizmatters.agentexecutor.streaming;

import java.util.Map;

/** Where the stream goes (contract.md: DRAGONFLY_HOST, DRAGONFLY_PORT, DRAGONFLY_PASSWORD). */
public record DragonflySettings(String host, int port, String password) {
    public static final int DEFAULT_PORT = 6379;

    public DragonflySettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("DRAGONFLY_HOST is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("DRAGONFLY_PORT must be a port number (1-65535), got " + port);
        }
        password = password == null || password.isEmpty() ? null : password;
    }

    public static DragonflySettings fromEnvironment(Map<String, String> env) {
        String port = env.getOrDefault("DRAGONFLY_PORT", "");
        int portNumber;
        try {
            portNumber = port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DRAGONFLY_PORT must be a port number, got '" + port + "'");
        }
        return new DragonflySettings(env.get("DRAGONFLY_HOST"), portNumber, env.get("DRAGONFLY_PASSWORD"));
    }

    /** Never shows the password, so the settings can be logged. */
    @Override
    public String toString() {
        return "DragonflySettings[" + host + ":" + port + (password == null ? "" : ", password set") + "]";
    }
}
