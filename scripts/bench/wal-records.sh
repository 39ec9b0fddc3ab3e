#!/usr/bin/env bash
# Where a job's WAL goes: runs the service against private servers (scripts/bench/private-servers.sh),
# submits a warm-up batch, then a measured batch of the e2e job (a model call, word_count, a model
# call), and prints PostgreSQL's WAL bytes per job and `pg_waldump --stats=record` over the measured
# batch alone. docs/performance.md ("WAL per job, by record type") has a reading.
#
# Usage: scripts/bench/wal-records.sh [--jobs 500] [--warmup 500] [--checkpoint-first]
# --checkpoint-first starts the measured range at a CHECKPOINT, so its full-page images are counted
# as a long-running database pays them; without it the batch follows the warm-up directly.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
jobs=500 warmup=500 checkpoint_first=0
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --checkpoint-first) checkpoint_first=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/bench-wal-XXXXXX)
chmod 755 "$work"
source scripts/bench/private-servers.sh
cleanup() { stop_private_servers; rm -rf "$work"; }
trap cleanup EXIT

mvn -B -q -DskipTests package >/dev/null
jar=$(ls "$root"/target/agent-executor-*.jar | head -1)
install_bench_node
start_postgres
start_redis
start_nats
start_model_stub 0 word-count
psql -d postgres -c "CREATE DATABASE bench"

port=$(free_port)
set_private_service_env "$port"
envs=("${private_service_env[@]}")
env "${envs[@]}" APP_JAR="$jar" scripts/ci/run.sh migrate >/dev/null 2>&1
env "${envs[@]}" APP_JAR="$jar" scripts/ci/run.sh >"$work/service.log" 2>&1 &
private_pids+=("$!")
wait_http "http://127.0.0.1:$port/ready" || { echo "the service did not get ready" >&2; tail -20 "$work/service.log" >&2; exit 1; }

drive() { (cd "$bench_node" && node driver.mjs "nats://127.0.0.1:$natsport" "$1" "$2" "$root/bench/e2e/word-count-definition.json"); }
drive "$warmup" warm >/dev/null
[ "$checkpoint_first" = 1 ] && psql -d bench -c "CHECKPOINT"
from=$(psql -d bench -c "SELECT pg_current_wal_lsn()")
drive "$jobs" job
to=$(psql -d bench -c "SELECT pg_current_wal_lsn()")
echo "WAL bytes per job: $(( $(psql -d bench -c "SELECT pg_wal_lsn_diff('$to', '$from')") / jobs ))"
"$pgbin/pg_waldump" -p "$pgdata/pg_wal" -s "$from" -e "$to" --stats=record 2>/dev/null
