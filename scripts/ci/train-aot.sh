#!/usr/bin/env bash
# Writes the JDK's AOT cache (JEP 483/514/515) for agent-executor: a training run of the real
# service that starts, answers the probes, runs examples/sample-job.json on the offline model
# (AOT_TRAINING_JOBS times, default 300) and stops, so the classes of start-up and of a job are
# already loaded and linked on the next start (scripts/ci/run.sh and the image use the cache;
# docs/performance.md has the figures).
#
# Usage: scripts/ci/train-aot.sh <jar> <cache-file> <sample-job.json>
# PostgreSQL, Dragonfly and NATS come from the usual variables (POSTGRES_*, DRAGONFLY_*, NATS_URL);
# the database is migrated first. The cache is only valid for the same JDK build and the same jar
# path, so train where the service will run (the Dockerfile trains inside the runtime image).
set -euo pipefail
jar=$1 cache=$2 sample=$3
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
port=${PORT:-18080}

env PORT="$port" "$JAVA" -jar "$jar" migrate >/dev/null
env PORT="$port" AGENT_OFFLINE_MODEL=auto OPENAI_API_KEY= ANTHROPIC_API_KEY= LOG_LEVEL=WARN \
  "$JAVA" -XX:AOTCacheOutput="$cache" -jar "$jar" >"$cache.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/ready" && break; sleep 0.1; done
curl -fs -o /dev/null "http://127.0.0.1:$port/health"
# Many jobs, a few at once, rather than one: the cache also keeps the methods' profiles (JEP 515),
# so the JIT compiles the hot paths sooner after a start (docs/performance.md).
submitting=()
for n in $(seq "${AOT_TRAINING_JOBS:-300}"); do
  sed "s/\"job_id\": *\"[^\"]*\"/\"job_id\": \"aot-training-$$-$n\"/" "$sample" \
    | curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/" -H 'Content-Type: application/cloudevents+json' --data-binary @- &
  submitting+=("$!")
  if (( ${#submitting[@]} == 4 )); then wait "${submitting[@]}"; submitting=(); fi
done
# Only the submissions: a bare wait would wait for the service too.
if (( ${#submitting[@]} > 0 )); then wait "${submitting[@]}"; fi
curl -fs -o /dev/null "http://127.0.0.1:$port/jobs/aot-training-$$-1"
curl -fs -o /dev/null "http://127.0.0.1:$port/metrics"
kill -TERM "$pid"
wait "$pid" || true
[ -s "$cache" ] || { echo "no AOT cache was written; see $cache.log" >&2; exit 1; }
rm -f "$cache.log"
echo "AOT cache written: $cache ($(du -h "$cache" | cut -f1))"
