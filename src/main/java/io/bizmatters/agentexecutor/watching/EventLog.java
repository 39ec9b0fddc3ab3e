package io.bizmatters.agentexecutor.watching;

import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import io.bizmatters.agentexecutor.streaming.ReplayableStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Reads jobs' replayable streams for replays, over a small pool of connections: each replay is a
 * few short XRANGEs, so many watchers connecting at once queue briefly instead of each opening a
 * connection. Live following is {@link JobFeed}'s, on connections of its own.
 */
final class EventLog implements AutoCloseable {
    static final int PAGE = 500;
    private static final int POOL_SIZE = 16;

    private final JedisPool pool;

    EventLog(DragonflySettings settings) {
        GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(POOL_SIZE);
        config.setMaxIdle(POOL_SIZE);
        config.setMaxWait(Duration.ofSeconds(10));
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2_000).socketTimeoutMillis(5_000).clientName("agent-executor-replay");
        if (settings.password() != null) {
            client.password(settings.password());
        }
        this.pool = new JedisPool(config, new HostAndPort(settings.host(), settings.port()), client.build());
    }

    /** Up to {@link #PAGE} events with a seq above {@code afterSeq}, in order. */
    List<StoredEvent> after(String jobId, long afterSeq) {
        return read(jedis -> jedis.xrange(ReplayableStream.key(jobId), (afterSeq + 1) + "-0", "+", PAGE))
                .stream().map(EventLog::stored).toList();
    }

    /** The seq of the oldest event the stream still holds; 0 when there is no stream. */
    long firstSeq(String jobId) {
        List<StreamEntry> first = read(jedis -> jedis.xrange(ReplayableStream.key(jobId), "-", "+", 1));
        return first.isEmpty() ? 0 : first.getFirst().getID().getTime();
    }

    static StoredEvent stored(StreamEntry entry) {
        return new StoredEvent(entry.getID().getTime(), entry.getFields().get(ReplayableStream.TYPE_FIELD),
                entry.getFields().get(ReplayableStream.EVENT_FIELD));
    }

    private <T> T read(Function<Jedis, T> command) {
        try (Jedis jedis = pool.getResource()) {
            return command.apply(jedis);
        } catch (JedisException e) {
            throw new InfrastructureFault("dragonfly", "Dragonfly cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
