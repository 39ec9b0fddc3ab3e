package io.bizmatters.agentexecutor.watching;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.streaming.DragonflySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Watching jobs over HTTP: {@code GET /jobs/{jobId}/events} mounted on the service's one
 * platform-http router. It is a Vert.x handler rather than a Camel route because platform-http
 * runs a route on a worker thread until it returns and reads a streamed body with one blocking
 * read per chunk, so every watcher would hold a worker thread for as long as it watches; this way
 * 500 watchers cost no thread while they wait. The gauge {@code agent_executor_event_feeds} counts
 * the Dragonfly read loops (one per watched job).
 */
public final class JobWatching implements AutoCloseable {
    public static final String EVENTS_PATH = "/jobs/:jobId/events";

    private final EventLog log;
    private final JobFeeds feeds;
    private final JobEventsEndpoint endpoint;

    public JobWatching(DragonflySettings dragonfly, DataSource dataSource, ObjectMapper json, MeterRegistry meters) {
        this.log = new EventLog(dragonfly);
        this.feeds = new JobFeeds(dragonfly);
        this.endpoint = new JobEventsEndpoint(log, feeds, new JobHistory(dataSource, json, Clock.systemUTC()), json);
        Gauge.builder("agent_executor_event_feeds", feeds, JobFeeds::size)
                .description("Jobs whose replayable stream is being followed live (one Dragonfly read loop each)")
                .register(meters);
    }

    public void mount(Router router) {
        router.get(EVENTS_PATH).handler(endpoint);
    }

    @Override
    public void close() {
        feeds.close();
        log.close();
    }
}
