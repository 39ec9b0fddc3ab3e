package io.bizmatters.agentexecutor.watching;

import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import io.bizmatters.agentexecutor.streaming.ReplayableStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The one live read of a watched job's stream: an {@code XREAD BLOCK} loop on a virtual thread and
 * a connection of its own, handing every new entry to each watcher in memory. It starts at the
 * entry that was last when it began ({@link #awaitReady}), so a watcher that joins, then replays up
 * to now, misses nothing; it ends when no watcher is left.
 */
final class JobFeed implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JobFeed.class);
    private static final int BLOCK_MILLIS = 5_000;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    final String jobId;
    final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final DragonflySettings settings;
    private final JobFeeds feeds;
    private final CountDownLatch ready = new CountDownLatch(1);

    JobFeed(String jobId, DragonflySettings settings, JobFeeds feeds) {
        this.jobId = jobId;
        this.settings = settings;
        this.feeds = feeds;
    }

    /** True once the feed knows where it starts: events after that point reach every watcher. */
    boolean awaitReady(Duration patience) throws InterruptedException {
        return ready.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        String key = ReplayableStream.key(jobId);
        StreamEntryID last = null;
        Jedis jedis = null;
        long backoffMillis = 0;
        try {
            while (!feeds.leaveIfUnwatched(this)) {
                try {
                    if (jedis == null) {
                        jedis = settings.connection("agent-executor-watch", Duration.ofMillis(BLOCK_MILLIS * 2L));
                        jedis.connect();
                    }
                    if (last == null) {
                        List<StreamEntry> top = jedis.xrevrange(key, "+", "-", 1);
                        last = top.isEmpty() ? new StreamEntryID(0, 0) : top.getFirst().getID();
                        ready.countDown();
                    }
                    last = fanOut(jedis.xread(XReadParams.xReadParams().block(BLOCK_MILLIS).count(EventLog.PAGE),
                            Map.of(key, last)), last);
                    backoffMillis = 0;
                } catch (JedisException e) {
                    close(jedis);
                    jedis = null;
                    backoffMillis = backoffMillis == 0 ? 100 : Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
                    LOG.warn("Following the events of job {} failed ({}); trying again in {} ms", jobId, e.toString(), backoffMillis);
                    Thread.sleep(backoffMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(jedis);
            ready.countDown();
        }
    }

    private StreamEntryID fanOut(List<Map.Entry<String, List<StreamEntry>>> read, StreamEntryID last) {
        if (read == null) {
            return last;
        }
        StreamEntryID newest = last;
        for (Map.Entry<String, List<StreamEntry>> stream : read) {
            for (StreamEntry entry : stream.getValue()) {
                newest = entry.getID();
                StoredEvent event = EventLog.stored(entry);
                watchers.forEach(watcher -> watcher.live(event));
            }
        }
        return newest;
    }

    private static void close(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // the connection is gone already
            }
        }
    }
}
