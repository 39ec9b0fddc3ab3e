package io.bizmatters.agentexecutor.faults;

import io.bizmatters.agentexecutor.faults.JobSubmitter.Job;
import io.nats.client.api.ConsumerInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite (docs/operations.md, "Fault suite"): jobs submitted to JetStream while two
 * instances of the packaged service run them through a slow model and the suite kills and cuts
 * everything they depend on, against servers it starts itself. It proves every job gets exactly
 * one result event, nothing is left unacked, every job has its row, a model call is paid twice only
 * when a fault cut it off, no instance stops pulling, and it reports how long a killed instance's
 * jobs waited. Its last line of output is the summary; details and logs are in
 * target/fault-suite/&lt;run&gt;/.
 */
class FaultSuiteIT {
    private static final String STREAM = "AGENT_EXECUTION";
    private static final String CONSUMER = "agent-executor-workers";

    @Test
    void everyJobGetsExactlyOneResultThroughKillsAndOutages() throws Exception {
        FaultSuiteSettings settings = FaultSuiteSettings.fromSystemProperties();
        Path runFolder = Path.of("target", "fault-suite",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        long began = System.currentTimeMillis();
        RunVerdict verdict;
        try (FaultRig rig = FaultRig.start(settings, runFolder)) {
            rig.startInstance(rig.a);
            rig.startInstance(rig.b);
            FaultSchedule.log("servers and instances up in " + runFolder + "; submitting " + settings.jobs()
                    + " jobs over " + settings.submitPeriod().toSeconds() + " s");
            try (SuiteConnection watching = rig.connection("watch"); SuiteConnection submitting = rig.connection("submit");
                 PullSilenceWatch watch = new PullSilenceWatch(watching, rig.nats.monitorUrl(), rig::liveInstances, settings.maxSilence())) {
                watch.start(STREAM, CONSUMER);
                JobSubmitter submitter = new JobSubmitter(submitting, settings.jobs());
                long submitStart = System.currentTimeMillis();
                Thread submitterThread = submitter.startSubmitting(settings.submitPeriod());
                FaultSchedule schedule = new FaultSchedule(rig, watch, gapBetweenFaults(settings), settings.slots());
                schedule.run();
                submitterThread.join(settings.submitPeriod().plusMinutes(3));
                assertThat(submitter.failure()).as("submitting").isNull();
                ResultLog results = new ResultLog(rig.control);
                long[] unsettled = drain(rig, results, submitter.jobs(), submitStart + settings.drain().toMillis());
                FaultSchedule.log("pull requests by process: " + watch.pullsByProcess(rig.everStarted()));
                verdict = new RunVerdict(submitter.jobs(), results.byJob(), rows(rig, submitter.jobs()), rig.model.calls(),
                        schedule.events(), unsettled, watch.stalls(), (System.currentTimeMillis() - began) / 1000);
                writeRecords(runFolder, rig.model.calls(), results.byJob(), schedule.events());
            }
        }
        verdict.requireResumeWithin(settings.maxResumeSeconds());
        report(runFolder, verdict);
        assertThat(verdict.failures()).as(verdict.summary()).isEmpty();
    }

    /** The faults take about 70 s; spread them over the submitting period, at least 5 s apart. */
    private static Duration gapBetweenFaults(FaultSuiteSettings settings) {
        return Duration.ofSeconds(Math.max(5, (settings.submitPeriod().toSeconds() - 70) / 6));
    }

    /**
     * Waits until every job has a result and the consumer has nothing pending or unacked, or the
     * deadline; then a few seconds more for a late duplicate. @return num_pending and num_ack_pending
     */
    private static long[] drain(FaultRig rig, ResultLog results, List<Job> jobs, long deadline) throws Exception {
        while (System.currentTimeMillis() < deadline) {
            long[] unsettled = consumerAfterReading(rig, results);
            Map<String, List<ResultLog.Result>> byJob = results.byJob();
            if (unsettled != null && unsettled[0] == 0 && unsettled[1] == 0
                    && jobs.stream().allMatch(job -> byJob.containsKey(job.id()))) {
                break;
            }
            Thread.sleep(2_000);
        }
        Thread.sleep(5_000);
        for (int attempt = 0; attempt < 30; attempt++) {
            long[] unsettled = consumerAfterReading(rig, results);
            if (unsettled != null) {
                return unsettled;
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException("NATS gave no answer for a minute at the end of the run");
    }

    /** Reads new result events, then the consumer. @return num_pending and num_ack_pending; null when NATS gave no answer */
    private static long[] consumerAfterReading(FaultRig rig, ResultLog results) {
        try {
            results.refresh();
            ConsumerInfo consumer = rig.control.get().jetStreamManagement().getConsumerInfo(STREAM, CONSUMER);
            return new long[] {consumer.getNumPending(), consumer.getNumAckPending()};
        } catch (Exception noAnswer) {
            rig.control.failed();
            return null;
        }
    }

    private static Map<String, String> rows(FaultRig rig, List<Job> jobs) throws Exception {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = rig.postgres.connect();
             PreparedStatement s = c.prepareStatement("SELECT id, status FROM jobs WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", jobs.stream().map(Job::id).toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), r.getString(2));
                }
            }
        }
        return rows;
    }

    /** What the verdict was made from, one line per model call, result event and fault, for reading a failure. */
    private static void writeRecords(Path runFolder, List<FaultModel.ModelCall> calls, Map<String, List<ResultLog.Result>> results,
                                     List<FaultEvent> faults) throws Exception {
        Files.write(runFolder.resolve("model-calls.csv"), calls.stream().map(c -> String.join(",", c.jobId(),
                Integer.toString(c.step()), c.process(), Long.toString(c.startedMillis()), Long.toString(c.answeredMillis()))).toList());
        Files.write(runFolder.resolve("results.csv"), results.values().stream().flatMap(List::stream).map(r -> String.join(",",
                r.jobId(), r.subject(), r.source(), Long.toString(r.storedMillis()))).toList());
        Files.write(runFolder.resolve("faults.csv"), faults.stream().map(f -> String.join(",", f.kind().name(), f.target(),
                Long.toString(f.startMillis()), Long.toString(f.endMillis()))).toList());
    }

    private static void report(Path runFolder, RunVerdict verdict) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        verdict.failures().stream().limit(50).forEach(f -> lines.add("fault-suite: FAIL " + f));
        verdict.details().forEach(d -> lines.add("fault-suite: " + d));
        lines.add(verdict.summary());
        lines.forEach(System.out::println);
        Files.write(runFolder.resolve("verdict.txt"), verdict.failures());
        Files.writeString(runFolder.getParent().resolve("summaries.log"), verdict.summary() + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
