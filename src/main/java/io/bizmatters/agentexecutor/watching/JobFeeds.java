package io.bizmatters.agentexecutor.watching;

import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import java.util.HashMap;
import java.util.Map;

/**
 * The live feeds of the jobs being watched, one per job however many watch it: many watchers of
 * one job cost one Dragonfly read loop and one connection.
 */
final class JobFeeds {
    private final DragonflySettings settings;
    private final Map<String, JobFeed> feeds = new HashMap<>();
    private boolean closed;

    JobFeeds(DragonflySettings settings) {
        this.settings = settings;
    }

    /** Adds the watcher to the job's feed, starting the feed if the job had none. */
    synchronized JobFeed join(String jobId, Watcher watcher) {
        JobFeed feed = feeds.get(jobId);
        if (feed == null) {
            feed = new JobFeed(jobId, settings, this);
            feeds.put(jobId, feed);
            Thread.ofVirtual().name("job-feed-" + jobId).start(feed);
        }
        feed.watchers.add(watcher);
        return feed;
    }

    /** Called by a feed between reads: true (and the feed is gone) when nobody watches it any more. */
    synchronized boolean leaveIfUnwatched(JobFeed feed) {
        if (closed || feed.watchers.isEmpty()) {
            feeds.remove(feed.jobId, feed);
            return true;
        }
        return false;
    }

    synchronized int size() {
        return feeds.size();
    }

    /** Every feed stops after its current read (at most a few seconds). */
    synchronized void close() {
        closed = true;
    }
}
