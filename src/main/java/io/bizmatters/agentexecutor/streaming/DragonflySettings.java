package io.bizmatters.agentexecutor.streaming;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import java.time.Duration;

/** Where the stream goes (docs/contract.md: DRAGONFLY_HOST, DRAGONFLY_PORT, DRAGONFLY_PASSWORD; read by {@code Settings}). */
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
     * A new, unconnected client, for the stream publisher's own connection; the readiness probe
     * has its own {@link #pool}, so a slow probe never queues behind a batch of events.
     */
    public Jedis connection(String clientName, Duration timeout) {
        return new Jedis(new HostAndPort(host, port), clientConfig(clientName, timeout));
    }

    /**
     * A small pool of clients, connected on first use and kept: the readiness probe borrows one per
     * probe rather than connecting each time (a probe every few seconds per pod adds up).
     */
    public JedisPool pool(String clientName, Duration timeout, int size) {
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(size);
        poolConfig.setMaxWait(timeout);
        poolConfig.setTestOnBorrow(true); // a connection from before a Dragonfly restart is replaced, not reported down
        poolConfig.setJmxEnabled(false);
        return new JedisPool(poolConfig, new HostAndPort(host, port), clientConfig(clientName, timeout));
    }

    private DefaultJedisClientConfig clientConfig(String clientName, Duration timeout) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .clientName(clientName);
        if (password != null) {
            config.password(password);
        }
        return config.build();
    }

    /** Never shows the password, so the settings can be logged. */
    @Override
    public String toString() {
        return "DragonflySettings[" + host + ":" + port + (password == null ? "" : ", password set") + "]";
    }
}
