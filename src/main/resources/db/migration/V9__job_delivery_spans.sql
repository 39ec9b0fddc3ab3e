-- Traces (docs/observability.md): every delivery of a job is a span of the job's one trace, and
-- a redelivery's span links to the spans of the deliveries before it, such as the one whose pod
-- crashed. Their span ids are kept here, in delivery order; empty while tracing is off.
ALTER TABLE jobs ADD COLUMN delivery_spans TEXT[] NOT NULL DEFAULT '{}';
