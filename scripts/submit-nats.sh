#!/usr/bin/env bash
# Publishes a job to JetStream (agent.execute.sample) with a fresh job_id (JOB_ID=... to choose it)
# and prints its result event; a cancel event (examples/cancel-job.json) is only published.
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
