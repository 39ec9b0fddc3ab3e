package io.bizmatters.agentexecutor.agent;

import io.bizmatters.agentexecutor.failure.JobFailure;

import java.util.Optional;

/**
 * What may stop a running job from outside its agents: a cancel, or its deadline
 * (docs/job-control.md). The engine asks before every step; a stop that lands while a model call
 * or a tool route is waiting interrupts the job's thread, and the engine then reports
 * {@link #stopped()} instead of the interruption.
 */
public interface JobControl {
    /** A job nobody can stop: for engines run without the service (tests, tools). */
    JobControl NONE = new JobControl() {
        @Override
        public void check() {
        }

        @Override
        public Optional<JobFailure> stopped() {
            return Optional.empty();
        }
    };

    /** @throws JobFailure ({@code Cancelled}, {@code Timeout}) when the job must not take another step */
    void check();

    /** Why the job was stopped, once it was. */
    Optional<JobFailure> stopped();

    /** Finds the control of a job this process runs. */
    @FunctionalInterface
    interface Lookup {
        Lookup NONE = jobId -> JobControl.NONE;

        JobControl of(String jobId);
    }
}
