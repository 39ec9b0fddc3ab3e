package io.bizmatters.agentexecutor.streaming;

/** Hands out the event stream of one job. */
public interface JobEventPublisher {
    JobEvents forJob(String jobId);
}
