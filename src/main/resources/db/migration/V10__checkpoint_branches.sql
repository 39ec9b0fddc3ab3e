-- Parallel tool calls and specialists checkpoint on branches of their job's thread
-- (docs/agent-engine.md): the same thread_id, and branch naming which one ('' for the job's own
-- steps, '1/task/call_a' for the specialist the first model turn's task call started, nested
-- '1/task/call_a/2/tool/call_x'). Keeping the job id in thread_id means the primary key still finds
-- every row of a job, so the job's final checkpoint and the retention sweep prune its branches
-- with the statements that prune the job. A constant default adds the column without a rewrite.
ALTER TABLE checkpoints ADD COLUMN branch text NOT NULL DEFAULT '';
