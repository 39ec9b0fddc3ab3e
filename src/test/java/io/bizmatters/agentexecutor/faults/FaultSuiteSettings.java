package io.bizmatters.agentexecutor.faults;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The fault suite's knobs, as system properties (scripts/fault-suite.sh and {@code mvn -D} set them):
 * <pre>
 * faultsuite.jobs               jobs submitted, default 200
 * faultsuite.submitSeconds      how long submitting takes, default max(120, 0.6 s per job): the faults happen meanwhile
 * faultsuite.slots              MAX_CONCURRENT_JOBS of each instance, default 8
 * faultsuite.modelDelayMillis   how long each model call takes, give or take a quarter, default 3000
 * faultsuite.drainSeconds       how long the run waits for the last results after submitting, default 600
 * faultsuite.maxSilenceSeconds  longest time an instance may send no pull while messages are pending, default 10
 * faultsuite.maxResumeSeconds   fails a kill whose jobs resumed later than this, default 30 (docs/operations.md,
 *                               "Guarantees"); an empty value only reports it
 * </pre>
 */
record FaultSuiteSettings(int jobs, Duration submitPeriod, int slots, Duration modelDelay, Duration drain,
                          Duration maxSilence, OptionalDouble maxResumeSeconds) {

    static FaultSuiteSettings fromSystemProperties() {
        int jobs = Integer.getInteger("faultsuite.jobs", 200);
        String maxResume = System.getProperty("faultsuite.maxResumeSeconds", "30");
        return new FaultSuiteSettings(jobs,
                Duration.ofSeconds(Integer.getInteger("faultsuite.submitSeconds", Math.max(120, jobs * 60 / 100))),
                Integer.getInteger("faultsuite.slots", 8),
                Duration.ofMillis(Integer.getInteger("faultsuite.modelDelayMillis", 3000)),
                Duration.ofSeconds(Integer.getInteger("faultsuite.drainSeconds", 600)),
                Duration.ofSeconds(Integer.getInteger("faultsuite.maxSilenceSeconds", 10)),
                maxResume.isBlank() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(maxResume)));
    }
}
