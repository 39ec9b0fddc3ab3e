/** A job's events streamed to Dragonfly, live on langgraph:stream:{job_id} and replayable on langgraph:events:{job_id}, without ever holding up the job. */
package io.bizmatters.agentexecutor.streaming;
