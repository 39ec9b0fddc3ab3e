package io.bizmatters.agentexecutor.watching;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /jobs/{jobId}/events}: the job's events as Server-Sent Events (docs/events.md). It
 * replays from the start, after {@code Last-Event-ID} or after {@code ?after=<seq>}, then follows
 * live until the terminal event, and closes. For a job not heard of yet it waits up to
 * {@code ?wait=} seconds (default 30) for the first event before answering 404. The event loop
 * only parses and writes; replays, database reads and waits run on a virtual thread per watcher.
 */
final class JobEventsEndpoint implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(JobEventsEndpoint.class);
    static final int DEFAULT_WAIT_SECONDS = 30;
    static final int MAX_WAIT_SECONDS = 600;
    private static final Duration FEED_PATIENCE = Duration.ofSeconds(10);
    /** Job statuses (the jobs table's column) after which more events may still come. */
    private static final Set<String> UNFINISHED = Set.of("running", "interrupted");

    private final EventLog log;
    private final JobFeeds feeds;
    private final JobHistory history;
    private final ObjectMapper json;

    JobEventsEndpoint(EventLog log, JobFeeds feeds, JobHistory history, ObjectMapper json) {
        this.log = log;
        this.feeds = feeds;
        this.history = history;
        this.json = json;
    }

    @Override
    public void handle(RoutingContext request) {
        String jobId = request.pathParam("jobId");
        SseResponse sse = new SseResponse(request.response(), Vertx.currentContext());
        long after;
        long waitSeconds;
        try {
            String lastEventId = request.request().getHeader("Last-Event-ID");
            after = number(lastEventId != null ? lastEventId : request.queryParams().get("after"), 0, Long.MAX_VALUE,
                    lastEventId != null ? "Last-Event-ID" : "after");
            waitSeconds = number(request.queryParams().get("wait"), DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS, "wait");
        } catch (IllegalArgumentException e) {
            sse.refuse(400, json.createObjectNode().put("detail", e.getMessage()).toString());
            return;
        }
        Watcher watcher = new Watcher(jobId, after, sse);
        request.response().closeHandler(v -> watcher.close());
        Thread.ofVirtual().name("job-watch-" + jobId).start(() -> follow(jobId, watcher, sse, waitSeconds));
    }

    private void follow(String jobId, Watcher watcher, SseResponse sse, long waitSeconds) {
        JobFeed feed = feeds.join(jobId, watcher);
        watcher.onClose(() -> feed.watchers.remove(watcher));
        boolean open = false;
        try {
            if (!feed.awaitReady(FEED_PATIENCE)) {
                throw new InfrastructureFault("dragonfly", "Dragonfly does not answer", null);
            }
            long first = log.firstSeq(jobId);
            if (first == 0) {
                Optional<Refusal> refusal = refusalForJobWithoutStream(jobId, watcher, waitSeconds);
                if (refusal.isPresent()) {
                    refuse(watcher, sse, refusal.get().status(), refusal.get().detail());
                    return;
                }
                first = log.firstSeq(jobId);
            }
            sse.open();
            open = true;
            if (first > watcher.delivered() + 1) {
                watcher.snapshot(first - 1, history.snapshot(jobId, watcher.delivered() + 1, first - 1));
            }
            watcher.replay(log);
        } catch (InfrastructureFault e) {
            LOG.warn("Cannot stream the events of job {}: {}", jobId, e.getMessage());
            if (open) {
                watcher.close();
            } else {
                refuse(watcher, sse, 503, json.createObjectNode().put("detail", e.getMessage())
                        .put("dependency", e.dependency()).toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watcher.close();
        }
    }

    private record Refusal(int status, String detail) {
    }

    /**
     * Empty when the events can be followed: the job runs, or its first event arrived in time.
     * Otherwise why not: a finished job whose stream expired (410), or a job that never came (404).
     * A parked job may wait longer than its stream is kept: it is followed, for its resume's events.
     */
    private Optional<Refusal> refusalForJobWithoutStream(String jobId, Watcher watcher, long waitSeconds)
            throws InterruptedException {
        Optional<String> status = history.status(jobId);
        if (status.isPresent() && !UNFINISHED.contains(status.get())) {
            return Optional.of(new Refusal(410, "the events of job " + jobId
                    + " are no longer kept (STREAM_RETENTION_SECONDS); GET /jobs/" + jobId + " has its outcome"));
        }
        if (status.isEmpty() && !watcher.awaitFirstEvent(waitSeconds)) {
            return Optional.of(new Refusal(404, "no job " + jobId + " has sent events within " + waitSeconds
                    + " s (raise ?wait= to wait longer)"));
        }
        return Optional.empty();
    }

    private void refuse(Watcher watcher, SseResponse sse, int status, String detail) {
        sse.refuse(status, detail.startsWith("{") ? detail : json.createObjectNode().put("detail", detail).toString());
        watcher.close();
    }

    private static long number(String raw, long defaultValue, long max, String name) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 0 to " + max + ", got '" + raw + "'");
    }
}
