-- Single flight per job: a delivery runs a job only while it holds the job's lease. A duplicate
-- delivery (the same job over HTTP and NATS, or a JetStream redelivery under a hung pod) finds a
-- live lease and backs off; a crashed pod stops renewing, so its lease runs out and a redelivery
-- takes the job over from its checkpoint. See docs/architecture.md, "Delivery semantics".
-- Rows written before this migration have no lease: a running one is free to take over.
-- result_published_at tells a JetStream redelivery of a finished job (the pod died between the
-- publish ack and the message ack) that its result is already out, so every job gets exactly one.
ALTER TABLE jobs
    ADD COLUMN lease_owner TEXT,                -- the process holding the lease (pid@host/random); null once finished
    ADD COLUMN lease_until TIMESTAMPTZ,         -- renewed while the job runs; past it, a redelivery may take the job over
    ADD COLUMN result_published_at TIMESTAMPTZ; -- when JetStream confirmed the job's result event
