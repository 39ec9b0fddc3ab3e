-- Job control (docs/job-control.md): a cancel is written here first, so it survives the pod that
-- received it and reaches a job that has not arrived yet; the deadline is fixed at the job's first
-- start, so a redelivered or resumed job keeps the clock it started with.
ALTER TABLE jobs
    ADD COLUMN cancel_requested_at TIMESTAMPTZ, -- when the first cancel arrived; a running job stops at its next step or at once
    ADD COLUMN cancel_reason TEXT,              -- the first cancel's reason, the failed event's error.message
    ADD COLUMN deadline_at TIMESTAMPTZ,         -- first start + timeout_seconds (moved on by the time parked, V6); null before V5
    ADD COLUMN limits JSONB;                    -- the job's limits as first read, kept for a resume, which brings only decisions

-- A cancel for a job that has not arrived is a 'cancelled' row without a trace id (it comes with the job).
ALTER TABLE jobs ALTER COLUMN trace_id DROP NOT NULL;

-- V1 declared the check inline, so PostgreSQL named it jobs_status_check.
ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check CHECK (status IN ('running', 'completed', 'failed', 'cancelled'));
