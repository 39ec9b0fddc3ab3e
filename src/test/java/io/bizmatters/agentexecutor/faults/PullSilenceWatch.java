package io.bizmatters.agentexecutor.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fails the run when a service instance stops pulling for longer than {@code maxSilence} while
 * messages wait in the consumer: the stall of jnats #1522, where /ready still said 200.
 *
 * <p>It watches what reaches the NATS server, not what the service says about itself, so it works
 * on any version of the service: the suite subscribes to the consumer's pull-request subject
 * ({@code $JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>}) and so sees every pull request, whose reply
 * subject is an inbox of the pulling connection. Every inbox of a jnats connection starts with that
 * connection's NUID prefix, which /connz?subs=1 of the server's monitoring port ties to a connection
 * and its client port, and /proc ties that port to the instance's process. An instance with a free
 * job slot pulls every few seconds (each fetch waits at most 3 s); one whose slots are all busy pulls
 * when a job ends, which is far more often than every 10 s with the suite's short jobs. Silence
 * before the instance was ready, or before the end of a disturbance that stops pulls by design (NATS
 * away, the burst's held answers), is not counted.
 */
final class PullSilenceWatch implements AutoCloseable {
    /** One instance as the watch sees it: its process name and when it became ready. */
    record Live(String name, long readyMillis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code _INBOX.} and the 12-character prefix of the connection's NUID. */
    private static final int INBOX_PREFIX = "_INBOX.".length() + 12;

    private final SuiteConnection nats;
    private final String monitorUrl;
    private final Supplier<Map<Long, Live>> instances;
    private final Duration maxSilence;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, Long> lastPullByInbox = new ConcurrentHashMap<>();
    private final Map<String, Long> pidByInbox = new ConcurrentHashMap<>();
    private final Map<String, Long> pullsByInbox = new ConcurrentHashMap<>();
    private final Map<Long, Long> reportedSilenceSince = new ConcurrentHashMap<>();
    private final List<String> stalls = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("fault-suite-pull-watch").factory());
    private volatile long quietFrom;
    private volatile long pendingSince = -1;

    PullSilenceWatch(SuiteConnection nats, String monitorUrl, Supplier<Map<Long, Live>> instances, Duration maxSilence) {
        this.nats = nats;
        this.monitorUrl = monitorUrl;
        this.instances = instances;
        this.maxSilence = maxSilence;
    }

    void start(String stream, String consumer) {
        quietFrom = System.currentTimeMillis();
        nats.onEachConnection(connection -> connection.createDispatcher(this::pulled)
                .subscribe("$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer));
        ticks.scheduleWithFixedDelay(() -> tick(stream, consumer), 1, 1, TimeUnit.SECONDS);
    }

    private void pulled(Message request) {
        String replyTo = request.getReplyTo();
        if (replyTo != null && replyTo.length() >= INBOX_PREFIX) {
            String inbox = replyTo.substring(0, INBOX_PREFIX);
            lastPullByInbox.put(inbox, System.currentTimeMillis());
            pullsByInbox.merge(inbox, 1L, Long::sum);
        }
    }

    /** A disturbance during which pulls may stop ended now: silence is counted from here. */
    void disturbanceEnded() {
        quietFrom = System.currentTimeMillis();
    }

    List<String> stalls() {
        return List.copyOf(stalls);
    }

    /** Pull requests seen from each process ({@code names} by process id), and from none of them. */
    String pullsByProcess(Map<Long, String> names) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        pullsByInbox.forEach((inbox, pulls) -> counts.merge(
                names.getOrDefault(pidByInbox.getOrDefault(inbox, -1L), "unmapped"), pulls, Long::sum));
        return counts.toString();
    }

    private void tick(String stream, String consumer) {
        long now = System.currentTimeMillis();
        try {
            samplePending(stream, consumer, now);
            mapInboxesToProcesses();
        } catch (Exception unreachable) {
            nats.failed();
            pendingSince = -1; // NATS away: nothing can be said about pulls meanwhile
            return;
        }
        nats.succeeded();
        for (Map.Entry<Long, Live> instance : instances.get().entrySet()) {
            checkSilence(instance.getKey(), instance.getValue(), now);
        }
    }

    private void samplePending(String stream, String consumer, long now) throws Exception {
        JetStreamManagement management = nats.get().jetStreamManagement();
        long pending = management.getConsumerInfo(stream, consumer).getNumPending();
        if (pending == 0) {
            pendingSince = -1;
        } else if (pendingSince < 0) {
            pendingSince = now;
        }
    }

    private void checkSilence(long pid, Live instance, long now) {
        if (pendingSince < 0) {
            return;
        }
        long lastPull = lastPullByInbox.entrySet().stream()
                .filter(e -> Long.valueOf(pid).equals(pidByInbox.get(e.getKey())))
                .mapToLong(Map.Entry::getValue).max().orElse(0);
        long silentSince = Math.max(Math.max(lastPull, instance.readyMillis()), Math.max(quietFrom, pendingSince));
        if (now - silentSince > maxSilence.toMillis() && !Objects.equals(reportedSilenceSince.get(pid), silentSince)) {
            reportedSilenceSince.put(pid, silentSince);
            stalls.add(instance.name() + " sent no pull request for " + (now - silentSince) / 1000
                    + " s while messages were pending (last pull " + (lastPull == 0 ? "never" : (now - lastPull) / 1000 + " s ago") + ")");
        }
    }

    /** /connz?subs=1 lists each connection's subscriptions (its inbox prefix) with its client port. */
    private void mapInboxesToProcesses() throws IOException, InterruptedException {
        HttpResponse<String> connz = http.send(HttpRequest.newBuilder(URI.create(monitorUrl + "/connz?subs=1&limit=1024"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode connection : JSON.readTree(connz.body()).path("connections")) {
            int port = connection.path("port").asInt();
            for (JsonNode subscription : connection.path("subscriptions_list")) {
                String subject = subscription.asText();
                if (subject.startsWith("_INBOX.") && subject.length() >= INBOX_PREFIX) {
                    String inbox = subject.substring(0, INBOX_PREFIX);
                    if (!pidByInbox.containsKey(inbox)) {
                        ProcessSockets.pidOwningLocalPort(port, instances.get().keySet())
                                .ifPresent(pid -> pidByInbox.put(inbox, pid));
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        ticks.shutdownNow();
    }
}
