package io.bizmatters.agentexecutor.streaming;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.time.Duration;

/** Where the stream goes (docs/contract.md: DRAGONFLY_HOST, DRAGONFLY_PORT, DRAGONFLY_PASSWORD; read by {@code config.Settings}). */
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

    /**
     * A new, unconnected client; the stream publisher and the readiness probe each hold their own,
     * so a slow probe never queues behind a batch of events.
     */
    public Jedis connection(String clientName, Duration timeout) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .clientName(clientName);
        if (password != null) {
            config.password(password);
        }
        return new Jedis(new HostAndPort(host, port), config.build());
    }

    /** Never shows the password, so the settings can be logged. */
    @Override
    public String toString() {
        return "DragonflySettings[" + host + ":" + port + (password == null ? "" : ", password set") + "]";
    }
}
