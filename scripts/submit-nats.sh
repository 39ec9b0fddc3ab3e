#!/usr/bin/env bash
# Publishes a job to JetStream (agent.execute.sample) with a fresh job_id, prints its events as they
# come (GET /jobs/<id>/events on AGENT_EXECUTOR_URL, default http://localhost:8080), then its result
# event and a summary line: "RESULT: job <id> COMPLETED in ..." or "RESULT: job <id> FAILED (...)".
# Exit status 0 when the job completed, 1 otherwise. API_TOKEN, when set, is sent as a bearer token.
# Usage: NATS_URL=nats://127.0.0.1:4222 scripts/submit-nats.sh examples/sample-job.json
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ ! -d target/lib ]; then
  echo "target/lib is missing: build first (scripts/run-local.sh or scripts/ci/build.sh)" >&2
  exit 1
fi
exec "$JAVA" -cp "target/lib/*" scripts/SubmitJob.java "${1:-examples/sample-job.json}"
