package io.bizmatters.agentexecutor.faults;

import io.bizmatters.agentexecutor.faults.FaultEvent.Kind;
import io.bizmatters.agentexecutor.faults.FaultModel.ModelCall;
import io.bizmatters.agentexecutor.faults.JobSubmitter.Job;
import io.bizmatters.agentexecutor.faults.ResultLog.Result;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * What one fault run proved: each job's result events as AGENT_STATUS stored them, its row, its
 * model calls, the consumer at the end, the pull watch's stalls, and how long each killed
 * instance's jobs waited before another process moved them on. Ends in one summary line.
 */
final class RunVerdict {
    /**
     * How long after its answer a step may still wait for its checkpoint: the write itself waits up
     * to 5 s (the pool's connection timeout) for a down database, and a loaded machine adds to it.
     */
    private static final long POSTGRES_SLACK_MILLIS = 10_000;
    /** A result stored this soon after a kill may be the killed process's own publish still in flight. */
    private static final long OWN_PUBLISH_MILLIS = 1_000;

    /** How the jobs of one killed process resumed: the first and the last to move on, in seconds. */
    record Resume(String process, int jobs, double firstSeconds, double lastSeconds, int neverResumed) {
    }

    private final List<String> details = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Resume> resumes = new ArrayList<>();
    private final int jobs;
    private int completed;
    private int failed;
    private int lost;
    private int duplicates;
    private int repeats;
    private int unexplainedRepeats;
    private final String consumerState;
    private final int stalls;
    private final long runSeconds;

    /**
     * @param rows         each job row's status by job id
     * @param unsettled    the consumer's num_pending and num_ack_pending at the end
     */
    RunVerdict(List<Job> submitted, Map<String, List<Result>> results, Map<String, String> rows, List<ModelCall> calls,
               List<FaultEvent> faults, long[] unsettled, List<String> stallReports, long runSeconds) {
        this.jobs = submitted.size();
        this.stalls = stallReports.size();
        this.runSeconds = runSeconds;
        this.consumerState = "pending=" + unsettled[0] + " unacked=" + unsettled[1];
        judgeResults(submitted, results, rows);
        judgeRepeats(calls, faults);
        judgeResumes(submitted, results, calls, faults);
        if (unsettled[0] != 0 || unsettled[1] != 0) {
            failures.add("the consumer is not settled at the end: " + consumerState);
        }
        stallReports.forEach(stall -> failures.add("stall: " + stall));
    }

    private void judgeResults(List<Job> submitted, Map<String, List<Result>> results, Map<String, String> rows) {
        for (Job job : submitted) {
            List<Result> events = results.getOrDefault(job.id(), List.of());
            if (events.isEmpty()) {
                lost++;
                failures.add("lost: job " + job.id() + " has no result event (row: " + rows.get(job.id()) + ")");
                continue;
            }
            if (events.size() > 1) {
                duplicates++;
                failures.add("duplicate: job " + job.id() + " has " + events.size() + " result events, from "
                        + events.stream().map(Result::source).toList());
            }
            if (events.stream().allMatch(Result::completed)) {
                completed++;
                String expected = FaultModel.finalAnswer(job.id(), Integer.toString(job.words()));
                events.stream().filter(e -> !expected.equals(e.output())).findFirst().ifPresent(wrong ->
                        failures.add("wrong output for job " + job.id() + ": " + wrong.output()));
            } else {
                failed++;
                failures.add("failed: job " + job.id() + ": " + events.stream().filter(e -> !e.completed())
                        .map(Result::output).findFirst().orElse(""));
            }
            if (!"completed".equals(rows.get(job.id()))) {
                failures.add("row of job " + job.id() + " is " + (rows.containsKey(job.id()) ? rows.get(job.id()) : "missing"));
            }
        }
    }

    /**
     * A repeat is a second call for the same step of a job. It is explained when a fault cut the
     * earlier call's step off before its checkpoint: the process that made it was killed after the
     * call began and before it made any later call for the job, or PostgreSQL went down while the
     * answer could still be waiting to be checkpointed and the process made no later call before it
     * was back. Any other repeat paid for a model call twice.
     */
    private void judgeRepeats(List<ModelCall> calls, List<FaultEvent> faults) {
        Map<String, List<ModelCall>> byJob = calls.stream().collect(Collectors.groupingBy(ModelCall::jobId));
        int afterKill = 0;
        int afterPostgres = 0;
        for (List<ModelCall> jobCalls : byJob.values()) {
            Map<Integer, List<ModelCall>> bySteps = jobCalls.stream().collect(Collectors.groupingBy(ModelCall::step));
            for (List<ModelCall> step : bySteps.values()) {
                List<ModelCall> inOrder = step.stream().sorted(Comparator.comparingLong(ModelCall::startedMillis)).toList();
                for (int i = 1; i < inOrder.size(); i++) {
                    repeats++;
                    ModelCall cut = inOrder.get(i - 1);
                    // Every life is killed at most once and named anew after it, so each call of the killed
                    // life came before its kill, whatever time the model server's handler read it at.
                    if (faults.stream().anyMatch(f -> f.kind() == Kind.INSTANCE_KILL && f.target().equals(cut.process()))
                            && !movedOn(jobCalls, cut, Long.MAX_VALUE)) {
                        afterKill++;
                    } else if (faults.stream().anyMatch(f -> f.kind() == Kind.POSTGRES_RESTART
                            && f.covers(cut.startedMillis(), cut.answeredMillis() + POSTGRES_SLACK_MILLIS)
                            && !movedOn(jobCalls, cut, f.endMillis()))) {
                        afterPostgres++;
                    } else {
                        unexplainedRepeats++;
                        failures.add("repeated model call: job " + cut.jobId() + " step " + cut.step() + " by "
                                + inOrder.get(i).process() + " after " + cut.process() + "'s call, which no fault cut off");
                    }
                }
            }
        }
        details.add("repeated model calls: " + repeats + " (" + afterKill + " cut off by a kill, " + afterPostgres
                + " answered while PostgreSQL restarted, so never checkpointed; " + unexplainedRepeats + " unexplained)");
    }

    /** Whether the process of {@code call} made a later call for the same job before {@code millis}. */
    private static boolean movedOn(List<ModelCall> jobCalls, ModelCall call, long millis) {
        return jobCalls.stream().anyMatch(c -> c.process().equals(call.process()) && c.startedMillis() > call.startedMillis()
                && c.startedMillis() < millis);
    }

    /** For each kill: the jobs whose last model call before it was the killed process's, and no result yet. */
    private void judgeResumes(List<Job> submitted, Map<String, List<Result>> results, List<ModelCall> calls,
                              List<FaultEvent> faults) {
        for (FaultEvent kill : faults.stream().filter(f -> f.kind() == Kind.INSTANCE_KILL).toList()) {
            long at = kill.startMillis();
            Map<String, ModelCall> lastBefore = calls.stream().filter(c -> c.startedMillis() < at)
                    .collect(Collectors.toMap(ModelCall::jobId, c -> c,
                            (x, y) -> x.startedMillis() >= y.startedMillis() ? x : y));
            List<Long> moved = new ArrayList<>();
            int owned = 0;
            for (Job job : submitted) {
                ModelCall last = lastBefore.get(job.id());
                List<Result> events = results.getOrDefault(job.id(), List.of());
                if (last == null || !last.process().equals(kill.target()) || events.stream().anyMatch(e -> e.storedMillis() < at)) {
                    continue;
                }
                owned++;
                long nextCall = calls.stream().filter(c -> c.jobId().equals(job.id()) && c.startedMillis() > at
                        && !c.process().equals(kill.target())).mapToLong(ModelCall::startedMillis).min().orElse(Long.MAX_VALUE);
                long nextResult = events.stream().mapToLong(Result::storedMillis).filter(t -> t > at + OWN_PUBLISH_MILLIS)
                        .min().orElse(Long.MAX_VALUE);
                long progress = Math.min(nextCall, nextResult);
                if (progress != Long.MAX_VALUE) {
                    moved.add(progress - at);
                }
            }
            Resume resume = new Resume(kill.target(), owned,
                    moved.stream().mapToLong(Long::longValue).min().orElse(0) / 1000.0,
                    moved.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0, owned - moved.size());
            resumes.add(resume);
            details.add(String.format(Locale.ROOT, "kill -9 of %s cut %d jobs: the first moved on after %.1f s, the last after %.1f s%s",
                    resume.process(), resume.jobs(), resume.firstSeconds(), resume.lastSeconds(),
                    resume.neverResumed() == 0 ? "" : ", " + resume.neverResumed() + " never"));
        }
    }

    /** Fails kills whose jobs took longer than {@code maxSeconds} to move on. */
    void requireResumeWithin(OptionalDouble maxSeconds) {
        maxSeconds.ifPresent(max -> resumes.stream().filter(r -> r.lastSeconds() > max || r.neverResumed() > 0).forEach(r ->
                failures.add(String.format(Locale.ROOT, "the jobs of killed %s resumed after %.1f s, more than %.1f s",
                        r.process(), r.lastSeconds(), max))));
    }

    List<String> details() {
        return List.copyOf(details);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** A resume time is "inf" when the jobs it waits for never moved on before the run ended. */
    String summary() {
        boolean noneMoved = resumes.stream().anyMatch(r -> r.jobs() > 0 && r.neverResumed() == r.jobs());
        boolean someNeverMoved = resumes.stream().anyMatch(r -> r.neverResumed() > 0);
        String longest = noneMoved ? "inf" : seconds(resumes.stream().mapToDouble(Resume::firstSeconds).max().orElse(0));
        String slowestJob = someNeverMoved ? "inf" : seconds(resumes.stream().mapToDouble(Resume::lastSeconds).max().orElse(0));
        return String.format(Locale.ROOT, "fault-suite: jobs=%d completed=%d duplicates=%d lost=%d repeated_model_calls=%d"
                        + " longest_resume_s=%s failed=%d unexplained_repeats=%d slowest_job_resume_s=%s stalls=%d %s run_s=%d",
                jobs, completed, duplicates, lost, repeats, longest, failed, unexplainedRepeats, slowestJob, stalls,
                consumerState, runSeconds);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
