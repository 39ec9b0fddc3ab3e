-- GET /jobs lists the most recent jobs, newest first, whatever their status: an index on
-- created_at alone serves it without sorting the whole table (jobs_status_created_at serves
-- ?status=).
CREATE INDEX jobs_created_at ON jobs (created_at DESC);
