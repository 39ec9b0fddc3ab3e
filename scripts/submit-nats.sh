#!/usr/bin/env bash
# Publishes a job to JetStream (agent.execute.sample) with a fresh job_id (JOB_ID=... to choose it)
# and prints its status event (completed, failed, or interrupted when it waits for a person's
# decisions, docs/approvals.md); a cancel event (examples/cancel-job.json) is only published.
# Usage: NATS_URL=nats://127.0.0.1:4222 scripts/submit-nats.sh examples/sample-job.json
#        scripts/submit-nats.sh --resume <job_id> '{"decisions": [{"tool_call_id": "...", "type": "approve"}]}'
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ ! -d target/lib ]; then
  echo "target/lib is missing: build first (scripts/run-local.sh or scripts/ci/build.sh)" >&2
  exit 1
fi
[ $# -eq 0 ] && set -- examples/sample-job.json
exec "$JAVA" -cp "target/lib/*" scripts/SubmitJob.java "$@"
