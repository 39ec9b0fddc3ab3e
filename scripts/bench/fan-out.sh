#!/usr/bin/env bash
# Fan-out benchmark: a job whose orchestrator delegates three topics to a Researcher in one turn;
# each Researcher makes three model calls (word_count, then write_file with its note, then its
# answer) against the scripted model (bench/e2e/model-stub.mjs, SCRIPT=fan-out) answering after
# --latency-ms; then the orchestrator answers. 11 model calls and 9 tool executions per job. Jobs
# run one at a time through JetStream (bench/e2e/driver.mjs), on private PostgreSQL, Redis and
# NATS, so the counters are this job's alone.
#
# Usage: scripts/bench/fan-out.sh [--jobs N] [--warmup W] [--latency-ms L] [--out DIR] [NAME=VALUE...]
# NAME=VALUE pairs go to the service's environment (e.g. AGENT_MAX_PARALLEL_TOOL_CALLS=1).
# Prints a Markdown table: the job's wall time (submit -> result event), model calls and the most
# at once, checkpoint rows written and kept, PostgreSQL commits (pg_stat_database.xact_commit) and
# WAL bytes per job; writes DIR/results.json (default target/bench-fan-out). docs/performance.md
# ("Fan-out") keeps the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

jobs=5 warmup=2 latency=500 out="$root/target/bench-fan-out" service_env=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --latency-ms) latency=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *=*) service_env+=("$1"); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
work=$(mktemp -d /tmp/bench-fan-out-XXXXXX)
chmod 755 "$work"
source scripts/bench/private-servers.sh
cleanup() { [ -n "${svcpid:-}" ] && kill "$svcpid" 2>/dev/null; stop_private_servers; rm -rf "$work"; }
trap cleanup EXIT

echo "building agent-executor (first run downloads dependencies)..." >&2
mvn -B -q -DskipTests package >/dev/null
jar=$(ls "$root"/target/agent-executor-*.jar | head -1)
install_bench_node
start_postgres
start_redis
start_model_stub "$latency" fan-out
start_nats
psql -d postgres -c "CREATE DATABASE bench"

definition="$work/definition.json"
cat > "$definition" <<'JSON'
{"tool_definitions": [], "nodes": [
  {"id": "orchestrator", "type": "Orchestrator", "config": {"name": "Lead",
    "system_prompt": "[fan-out lead] Delegate every topic to the Researcher, all in one turn, then sum up.",
    "model": {"provider": "openai", "model": "gpt-4.1-mini"}, "tools": []}},
  {"id": "researcher", "type": "Specialist", "config": {"name": "Researcher",
    "description": "Researches one topic and keeps a note of it.",
    "system_prompt": "Count the words of the topic with word_count, note the count with write_file, then answer.",
    "model": {"provider": "openai", "model": "gpt-4.1-mini"}, "tools": ["word_count"]}}]}
JSON

set_private_service_env "$(free_port)"
envs=("${private_service_env[@]}" "${service_env[@]}")
port=$(printf '%s\n' "${envs[@]}" | sed -n 's/^PORT=//p' | tail -1)
env "${envs[@]}" APP_JAR="$jar" scripts/ci/run.sh migrate >/dev/null 2>&1
env "${envs[@]}" APP_JAR="$jar" scripts/ci/run.sh >"$out/service.log" 2>&1 &
svcpid=$!
wait_http "http://127.0.0.1:$port/ready" || { echo "the service did not get ready" >&2; tail -20 "$out/service.log" >&2; exit 1; }

run_job() { # $1 = job id; prints the driver's JSON line
  (cd "$bench_node" && node driver.mjs "nats://127.0.0.1:$natsport" 1 "$1" "$definition" 120)
}
# One query, so one commit of its own to take off each delta; a backend flushes its statistics
# once idle for 10 s (PGSTAT_IDLE_INTERVAL), hence the waits before each reading.
counters() { psql -d bench -c "SELECT d.xact_commit, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, d.tup_inserted,
  coalesce((SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'checkpoints'), 0)
  FROM pg_stat_database d WHERE d.datname = 'bench'" | tr '|' ' '; }
calls() { curl -fs "http://127.0.0.1:$stubport/stats"; }

echo "fan-out: $warmup warm-up job(s), then $jobs measured, model latency $latency ms ${service_env[*]}..." >&2
for i in $(seq "$warmup"); do run_job "warm-$i" >/dev/null; done
sleep 11
read -r idle_c0 _ _ _ <<<"$(counters)"
sleep 11
read -r c0 wal0 rows0 ins0 <<<"$(counters)"
calls0=$(calls)
: > "$work/runs.jsonl"
for i in $(seq "$jobs"); do
  run_job "fan-$i" | tee -a "$work/runs.jsonl" >&2
done
calls1=$(calls)
sleep 11
read -r c1 wal1 rows1 ins1 <<<"$(counters)"
kept=$(psql -d bench -c "SELECT count(*) FROM checkpoints WHERE thread_id LIKE 'fan-%'")

python3 - "$work/runs.jsonl" "$out/results.json" <<PY
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n = len(runs)
walls = sorted(r["p50_ms"] for r in runs if r["p50_ms"] is not None)
calls0, calls1 = json.loads('$calls0'), json.loads('$calls1')
result = {
    "jobs": n, "latency_ms": $latency, "service_env": "${service_env[*]}",
    "wall_ms": {"median": statistics.median(walls), "min": walls[0], "max": walls[-1]} if walls else None,
    "failed": sum(r["failed"] for r in runs), "missing": sum(r["missing"] for r in runs),
    "duplicates": sum(r["duplicates"] for r in runs),
    "model_calls_per_job": round((calls1["calls"] - calls0["calls"]) / n, 2),
    "peak_model_calls_at_once": calls1["peak_in_flight"],
    "checkpoint_rows_written_per_job": round(($ins1 - $ins0) / n, 1),
    "checkpoint_rows_kept_per_job": round($kept / n, 1),
    "pg_rows_inserted_per_job": round(($rows1 - $rows0) / n, 1),
    "pg_commits_per_job": round(($c1 - $c0 - 1) / n, 1),
    "pg_wal_bytes_per_job": round(($wal1 - $wal0) / n),
    "idle_commits_in_11s": $c0 - $idle_c0 - 1,
}
json.dump(result, open(sys.argv[2], "w"), indent=2)
w = result["wall_ms"]
print(f"\n{n} fan-out jobs one at a time, model latency {result['latency_ms']} ms {result['service_env']}\n")
print("| per job | value |\n|---|---|")
for label, value in [
        ("wall time, submit -> result (median, min-max)", f"{w['median']:.0f} ms ({w['min']:.0f}-{w['max']:.0f})" if w else "n/a"),
        ("model calls (most at once)", f"{result['model_calls_per_job']:g} ({result['peak_model_calls_at_once']})"),
        ("checkpoint rows written (kept)", f"{result['checkpoint_rows_written_per_job']:g} ({result['checkpoint_rows_kept_per_job']:g})"),
        ("PostgreSQL rows inserted, all tables", f"{result['pg_rows_inserted_per_job']:g}"),
        ("PostgreSQL commits", f"{result['pg_commits_per_job']:g}"),
        ("WAL bytes", f"{result['pg_wal_bytes_per_job']:,}"),
        ("failed / missing / duplicate results", f"{result['failed']} / {result['missing']} / {result['duplicates']}")]:
    print(f"| {label} | {value} |")
print(f"\ncommits of the idle service in 11 s (its sweeps, counted in the figures above): {result['idle_commits_in_11s']}; written: {sys.argv[2]}")
PY
