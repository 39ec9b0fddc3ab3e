package io.bizmatters.agentexecutor.faults;

import io.bizmatters.agentexecutor.faults.FaultEvent.Kind;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults of one run, one after another while jobs are being submitted: kill -9 of instance a
 * (restarted), a PostgreSQL crash and restart, a 10 s Dragonfly cut, a NATS kill -9 and restart, a
 * NATS kill -9 right after a burst of acks, a NATS outage longer than the 5 s publish timeout, and
 * kill -9 of instance b (restarted). Each is recorded with its times, for the verdict.
 */
final class FaultSchedule {
    private static final Duration FIRST_FAULT_AFTER = Duration.ofSeconds(8);
    private static final Duration DRAGONFLY_CUT = Duration.ofSeconds(10);
    private static final Duration NATS_RESTART_AFTER = Duration.ofSeconds(1);
    /** Longer than the service's 5 s publish timeout, so result publishes time out while NATS is away. */
    private static final Duration NATS_OUTAGE = Duration.ofSeconds(8);
    private static final Duration RESTART_KILLED_INSTANCE_AFTER = Duration.ofSeconds(2);
    /**
     * The killed instance's messages come back within the consumer's AckWait (20 s) of the kill; the
     * next fault waits for that, so a PostgreSQL restart cannot land on those redeliveries and make
     * the kill's resume look slower than it is (the claim would fail and nak the job for 30 s).
     */
    private static final Duration KILLED_JOBS_REDELIVERED = Duration.ofSeconds(23);

    private final FaultRig rig;
    private final PullSilenceWatch watch;
    private final Duration gap;
    private final int burst;
    private final List<FaultEvent> events = new ArrayList<>();

    /** @param burst how many final answers the burst of acks lets go together */
    FaultSchedule(FaultRig rig, PullSilenceWatch watch, Duration gap, int burst) {
        this.rig = rig;
        this.watch = watch;
        this.gap = gap;
        this.burst = burst;
    }

    List<FaultEvent> events() {
        return List.copyOf(events);
    }

    void run() throws Exception {
        pause(FIRST_FAULT_AFTER);
        killAndRestart(rig.a);
        pauseUntil(events.getLast().startMillis() + KILLED_JOBS_REDELIVERED.toMillis());
        pause(gap);
        restartPostgres();
        pause(gap);
        cutDragonfly();
        pause(gap);
        killNats(Kind.NATS_KILL);
        pause(gap);
        killNatsAfterABurstOfAcks();
        pause(gap);
        natsOutage();
        pause(gap);
        killAndRestart(rig.b);
    }

    /** Kills the instance while the model works on some of its calls, so the kill cuts jobs mid-step. */
    private void killAndRestart(ServiceInstance instance) {
        String name = instance.name();
        long deadline = System.currentTimeMillis() + 15_000;
        while (rig.model.inFlight(name) < 2 && System.currentTimeMillis() < deadline) {
            pause(Duration.ofMillis(100));
        }
        long pid = instance.pid();
        events.add(rig.killInstance(instance));
        log("kill -9 " + name + " (pid " + pid + ", " + rig.model.inFlight(name) + " model calls in flight)");
        pause(RESTART_KILLED_INSTANCE_AFTER);
        rig.startInstance(instance);
        log("restarted as " + instance.name());
    }

    private void restartPostgres() throws IOException {
        long start = System.currentTimeMillis();
        rig.postgres.crashAndRestart();
        record(Kind.POSTGRES_RESTART, "postgres", start);
        watch.disturbanceEnded();
    }

    private void cutDragonfly() {
        long start = System.currentTimeMillis();
        rig.dragonfly.kill();
        pause(DRAGONFLY_CUT);
        rig.dragonfly.start();
        record(Kind.DRAGONFLY_CUT, "dragonfly", start);
    }

    private void killNats(Kind kind) {
        long start = System.currentTimeMillis();
        rig.nats.kill();
        pause(NATS_RESTART_AFTER);
        rig.nats.restart();
        record(kind, "nats", start);
        watch.disturbanceEnded();
    }

    /**
     * Holds final answers back, lets them go together so their jobs publish results and ack at
     * once, and kills NATS as soon as those results are stored: the acks are confirmed but the
     * consumer state written asynchronously may not be.
     */
    private void killNatsAfterABurstOfAcks() throws InterruptedException {
        long storedBefore = storedResults();
        rig.model.holdFinalAnswers();
        int held;
        try {
            held = rig.model.awaitHeldFinalAnswers(burst, Duration.ofSeconds(8));
        } finally {
            rig.model.releaseFinalAnswers();
            watch.disturbanceEnded();
        }
        long deadline = System.currentTimeMillis() + 5_000;
        long wanted = storedBefore + Math.max(1, held * 7L / 10);
        while (System.currentTimeMillis() < deadline && storedResults() < wanted) {
            pause(Duration.ofMillis(20));
        }
        pause(Duration.ofMillis(200)); // the acks follow each stored result within milliseconds
        log("burst of " + held + " final answers released; killing NATS");
        killNats(Kind.NATS_KILL_AFTER_ACKS);
    }

    /** Result events stored so far; 0 while the suite's connection gets no answer. */
    private long storedResults() {
        try {
            long stored = rig.control.get().jetStreamManagement().getStreamInfo(ResultLog.STREAM).getStreamState().getMsgCount();
            rig.control.succeeded();
            return stored;
        } catch (Exception noAnswer) {
            rig.control.failed();
            return 0;
        }
    }

    /** A gentle stop this time (the server flushes its state), and long enough for publishes to time out. */
    private void natsOutage() {
        long start = System.currentTimeMillis();
        rig.nats.stop();
        pause(NATS_OUTAGE);
        rig.nats.restart();
        record(Kind.NATS_OUTAGE, "nats", start);
        watch.disturbanceEnded();
    }

    private void record(Kind kind, String target, long start) {
        long end = System.currentTimeMillis();
        events.add(new FaultEvent(kind, target, start, end));
        log(kind + " " + target + " for " + (end - start) + " ms");
    }

    static void log(String line) {
        System.out.println("fault-suite: " + java.time.LocalTime.now().withNano(0) + " " + line);
    }

    private static void pauseUntil(long epochMillis) {
        pause(Duration.ofMillis(Math.max(0, epochMillis - System.currentTimeMillis())));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the fault schedule was interrupted", e);
        }
    }
}
