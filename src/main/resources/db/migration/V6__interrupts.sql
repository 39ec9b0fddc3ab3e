-- Human approval of tool calls (docs/approvals.md): a job parks as 'interrupted' until a resume
-- brings a decision for every pending call; no pod holds it meanwhile, so all it needs to resume
-- on any pod lives in this row and in its checkpoints.
-- The status check is replaced whatever its name: V1 let PostgreSQL name it, and V5 (job control,
-- written in parallel) may already have renamed it jobs_status_check.
DO $$
DECLARE
    existing text;
BEGIN
    FOR existing IN
        SELECT conname FROM pg_constraint
         WHERE conrelid = 'jobs'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'
    LOOP
        EXECUTE format('ALTER TABLE jobs DROP CONSTRAINT %I', existing);
    END LOOP;
END
$$;

ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'));

ALTER TABLE jobs
    ADD COLUMN agent_definition JSONB,       -- kept from the first delivery once the job parks: a resume carries only decisions
    ADD COLUMN interrupts       JSONB,       -- the calls the job waits on (or last waited on): [{tool_call_id, agent, tool, arguments, allowed_decisions, description}]
    ADD COLUMN decisions        JSONB,       -- the last resume's decisions, {tool_call_id: {type, args, message}}, written before the job continues
    ADD COLUMN interrupted_at   TIMESTAMPTZ, -- when the job last parked; AGENT_INTERRUPT_TIMEOUT_SECONDS counts from here
    ADD COLUMN resumed_at       TIMESTAMPTZ, -- when the last resume was accepted
    ADD COLUMN parked_seconds   DOUBLE PRECISION NOT NULL DEFAULT 0; -- time spent parked so far: a job deadline does not count it
-- result_published_at (V3) also notes, for an interrupted row, that its interrupted event is out.

CREATE INDEX jobs_interrupted_at ON jobs (interrupted_at) WHERE status = 'interrupted';
