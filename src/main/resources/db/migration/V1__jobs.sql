-- One row per job: anyone can look up a job's state here, and a duplicate delivery of a finished
-- job republishes its stored result instead of running it again.
CREATE TABLE jobs (
    id          TEXT        PRIMARY KEY,           -- the event's job_id, also the LangGraph thread id
    trace_id    TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(), -- start of the latest attempt
    finished_at TIMESTAMPTZ,
    attempts    INTEGER     NOT NULL DEFAULT 1,     -- deliveries that claimed the job
    result      JSONB,                              -- completed: {"output": ..., "status": "completed"}
    error       JSONB,                              -- failed: {"message", "type", "stack_trace"}
    usage       JSONB                               -- token usage per model, from AgentOutcome.usage
);

CREATE INDEX jobs_status_created_at ON jobs (status, created_at);
