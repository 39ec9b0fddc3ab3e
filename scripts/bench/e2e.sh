#!/usr/bin/env bash
# End-to-end benchmark: agent-executor against the LangGraph.js peer in bench/peer, on the same
# private NATS, Redis and PostgreSQL and the same scripted model (bench/e2e/model-stub.mjs), trials
# alternating us/peer in one run. Each trial starts from an empty JetStream store and database.
# The job: a model call, the word_count tool, a model call.
#
# Usage: scripts/bench/e2e.sh [--jobs N] [--warmup W] [--latency-ms L] [--slots S] [--trials T]
#                             [--only us|peer] [--no-aot] [--out DIR]
# Prints a Markdown table (medians over trials, ranges in brackets) and writes DIR/results.json
# (default target/bench-e2e). docs/performance.md explains the method and keeps the latest table.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

jobs=2000 warmup=300 latency=0 slots=200 trials=3 only="" aot=1 out="$root/target/bench-e2e"
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --latency-ms) latency=$2; shift 2 ;;
    --slots) slots=$2; shift 2 ;;
    --trials) trials=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-aot) aot=0; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
work=$(mktemp -d /tmp/bench-e2e-XXXXXX)
chmod 755 "$work"
source scripts/bench/private-servers.sh
cleanup() { stop_private_servers; rm -rf "$work"; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
tree_ticks() { # a process and its live children (PostgreSQL backends)
  local total; total=$(cpu_ticks "$1")
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do total=$((total + $(cpu_ticks "$c"))); done
  echo "$total"
}
thread_ticks() { # "tid ticks name" for every thread of a process
  local t
  for t in /proc/"$1"/task/*; do
    [ -r "$t/stat" ] && echo "${t##*/} $(awk '{print $14+$15}' "$t/stat" 2>/dev/null) $(tr ' ' '_' < "$t/comm" 2>/dev/null)"
  done
}
rss_kb() { awk "/^$2:/{print \$2}" "/proc/$1/status" 2>/dev/null || echo 0; }
ticks_per_s=$(getconf CLK_TCK)

echo "building agent-executor and installing the peer (first run downloads dependencies)..." >&2
mvn -B -q -DskipTests package >/dev/null
jar=$(ls "$root"/target/agent-executor-*.jar | head -1)
install_bench_node
peer=$bench_node

# Private servers on free ports (scripts/bench/private-servers.sh): nothing here touches the machine's shared ones.
start_postgres
start_redis
start_model_stub "$latency" word-count

definition="$root/bench/e2e/word-count-definition.json"

# The AOT cache the image ships (scripts/ci/train-aot.sh), trained here against the private servers.
aot_cache="$work/agent-executor.aot"
if [ "$aot" = 1 ] && [ "$only" != peer ]; then
  start_nats
  psql -d postgres -c "CREATE DATABASE bench"
  env POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$pgport POSTGRES_DB=bench POSTGRES_USER=postgres POSTGRES_PASSWORD= \
    POSTGRES_SCHEMA=public DRAGONFLY_HOST=127.0.0.1 DRAGONFLY_PORT=$redisport NATS_URL=nats://127.0.0.1:$natsport \
    PORT="$(free_port)" scripts/ci/train-aot.sh "$jar" "$aot_cache" examples/sample-job.json >&2
fi

pg_counters() { psql -d bench -c "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted,
  pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint FROM pg_stat_database WHERE datname = 'bench'" | tr '|' ' '; }

# /health latency every 100 ms, and (for us) the JVM heap in use every second, until killed.
sample_during_run() {
  local i=0
  while true; do
    curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$1/health" >> "$work/health.txt" || true
    if [ $((i % 10)) = 0 ]; then
      curl -s "http://127.0.0.1:$1/metrics" 2>/dev/null \
        | awk '/^jvm_memory_used_bytes\{area="heap"/ {sum += $NF} END {if (sum) print sum}' >> "$work/heap.txt" || true
    fi
    i=$((i + 1)); sleep 0.1
  done
}

trial() { # $1 = us | peer, $2 = trial number; prints one JSON object
  local svc=$1 port; port=$(free_port)
  if [ -n "${natspid:-}" ]; then kill "$natspid" 2>/dev/null; wait "$natspid" 2>/dev/null || true; fi
  start_nats
  psql -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
  set_private_service_env "$port"
  local envs=("${private_service_env[@]}" MAX_CONCURRENT_JOBS="$slots")
  local t0 pid
  if [ "$svc" = us ]; then
    env "${envs[@]}" APP_JAR="$jar" scripts/ci/run.sh migrate >/dev/null 2>&1
    t0=$(date +%s%N)
    env "${envs[@]}" APP_JAR="$jar" AOT_CACHE="$aot_cache" scripts/ci/run.sh >"$out/$svc-$2.log" 2>&1 &
  else
    t0=$(date +%s%N)
    (cd "$peer" && exec env "${envs[@]}" node peer.mjs) >"$out/$svc-$2.log" 2>&1 &
  fi
  pid=$!; private_pids+=("$pid")
  wait_http "http://127.0.0.1:$port/ready" || { echo "$svc did not get ready" >&2; tail -20 "$out/$svc-$2.log" >&2; exit 1; }
  local ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  sleep 1
  local idle_rss; idle_rss=$(rss_kb "$pid" VmRSS)
  (cd "$peer" && node driver.mjs "nats://127.0.0.1:$natsport" "$warmup" "warm-$svc-$2" "$definition") >/dev/null
  # A backend flushes its statistics once idle for 10 s (PGSTAT_IDLE_INTERVAL): wait for that before
  # and after the run, so each run's commits and rows are counted in full and only once.
  sleep 11
  local c0 s0 p0 n0 r0 d0; read -r c0 ins0 upd0 del0 wal0 <<<"$(pg_counters)"
  thread_ticks "$pid" > "$work/threads0.txt"
  s0=$(cpu_ticks "$pid"); p0=$(tree_ticks "$pgpid"); n0=$(cpu_ticks "$natspid"); r0=$(cpu_ticks "$redispid"); d0=$(cpu_ticks "$stubpid")
  : > "$work/health.txt"; : > "$work/heap.txt"
  sample_during_run "$port" &
  local sampler=$!
  local run; run=$(cd "$peer" && node driver.mjs "nats://127.0.0.1:$natsport" "$jobs" "job-$svc-$2" "$definition")
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  thread_ticks "$pid" > "$work/threads1.txt"
  local s1 p1 n1 r1 d1; s1=$(cpu_ticks "$pid"); p1=$(tree_ticks "$pgpid"); n1=$(cpu_ticks "$natspid"); r1=$(cpu_ticks "$redispid"); d1=$(cpu_ticks "$stubpid")
  sleep 11
  read -r c1 ins1 upd1 del1 wal1 <<<"$(pg_counters)"
  local peak_rss; peak_rss=$(rss_kb "$pid" VmHWM)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 - "$svc" "$run" "$work/health.txt" "$work/heap.txt" "$work/threads0.txt" "$work/threads1.txt" <<PY
import json, re, sys
svc, run = sys.argv[1], json.loads(sys.argv[2])
# The service's CPU by kind of thread (JIT compilers, GC, virtual-thread carriers, else the thread's
# name with its digits as N); threads that ended during the run count under "ended threads".
def threads(path):
    rows = (l.split(" ", 2) for l in open(path) if l.strip())
    return {tid: (int(ticks or 0), name.strip()) for tid, ticks, name in rows}
def kind(name):
    for k, p in (("jit", r"CompilerThre"), ("gc", r"^G1|GC_Thread|GC_Conc"),
                 ("virtual-thread carriers", r"ForkJoinPool"), ("vert.x", r"vert\.x")):
        if re.search(p, name):
            return k
    return re.sub(r"\d+", "N", name)
before, after = threads(sys.argv[5]), threads(sys.argv[6])
by_kind = {}
for tid, (ticks, name) in after.items():
    by_kind[kind(name)] = by_kind.get(kind(name), 0) + ticks - before.get(tid, (0, name))[0]
by_kind = {k: v for k, v in by_kind.items() if v > 0}
health = sorted(float(l) * 1000 for l in open(sys.argv[3]) if l.strip())
heap = [float(l) for l in open(sys.argv[4]) if l.strip()]
run.update(health_p99_ms=round(health[min(len(health) - 1, int(0.99 * len(health)))], 1) if health else None,
           peak_heap_mb=round(max(heap) / 2**20) if heap else None)
n, tps = run["jobs"], $ticks_per_s
ms = lambda a, b: round((b - a) * 1000 / tps / n, 2)
run.update(service=svc, ready_ms=$ready_ms, idle_rss_mb=round($idle_rss / 1024), peak_rss_mb=round($peak_rss / 1024),
  cpu_ms_per_job=ms($s0, $s1), pg_cpu_ms_per_job=ms($p0, $p1), nats_cpu_ms_per_job=ms($n0, $n1),
  redis_cpu_ms_per_job=ms($r0, $r1), stub_cpu_ms_per_job=ms($d0, $d1),
  service_cpu_ms_per_job_by_thread=({k: ms(0, v) for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1])}
    | {"ended threads": ms(sum(by_kind.values()), $s1 - $s0)}) if svc == "us" else None,
  jit_cpu_ms_per_job=ms(0, by_kind.get("jit", 0)) if svc == "us" else None,
  pg_commits_per_job=round(($c1 - $c0) / n, 1), pg_rows_inserted_per_job=round(($ins1 - $ins0) / n, 1),
  pg_rows_updated_per_job=round(($upd1 - $upd0) / n, 1), pg_rows_deleted_per_job=round(($del1 - $del0) / n, 1),
  pg_wal_kb_per_job=round(($wal1 - $wal0) / 1024 / n, 2), result_events_per_job=round(run["result_events"] / n, 3))
print(json.dumps(run))
PY
}

services=(us peer)
[ -n "$only" ] && services=("$only")
results="$out/trials.jsonl"; : > "$results"
for t in $(seq "$trials"); do
  for svc in "${services[@]}"; do
    echo "trial $t: $svc ($jobs jobs, latency ${latency} ms, $slots slots)..." >&2
    trial "$svc" "$t" > "$work/trial.json"
    cat "$work/trial.json" >> "$results"; cat "$work/trial.json" >&2
  done
done

python3 - "$results" "$out/results.json" "$jobs" "$latency" "$slots" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
jobs, latency, slots = sys.argv[3:6]
fields = [("jobs_per_s", "jobs/s"), ("p50_ms", "p50 ms"), ("p99_ms", "p99 ms"), ("cpu_ms_per_job", "service CPU ms/job"),
          ("jit_cpu_ms_per_job", "of which JIT compiler threads"),
          ("pg_cpu_ms_per_job", "PostgreSQL CPU ms/job"), ("stub_cpu_ms_per_job", "model stub CPU ms/job"),
          ("nats_cpu_ms_per_job", "NATS CPU ms/job"), ("redis_cpu_ms_per_job", "Redis CPU ms/job"),
          ("pg_commits_per_job", "PG commits/job"), ("pg_rows_inserted_per_job", "PG rows inserted/job"),
          ("pg_rows_updated_per_job", "PG rows updated/job"), ("pg_rows_deleted_per_job", "PG rows deleted/job"),
          ("pg_wal_kb_per_job", "PG WAL KB/job"), ("result_events_per_job", "result events/job"),
          ("duplicates", "duplicate results"), ("missing", "missing results"),
          ("health_p99_ms", "/health p99 ms during the run"), ("peak_heap_mb", "peak heap MB (JVM)"),
          ("ready_ms", "start -> ready ms"), ("idle_rss_mb", "idle RSS MB"), ("peak_rss_mb", "peak RSS MB")]
by = {}
for r in rows:
    by.setdefault(r["service"], []).append(r)
summary = {}
for svc, rs in by.items():
    summary[svc] = {k: {"median": statistics.median([r[k] for r in rs if r.get(k) is not None] or [0]),
                        "min": min(r.get(k) or 0 for r in rs), "max": max(r.get(k) or 0 for r in rs)} for k, _ in fields}
json.dump({"jobs": int(jobs), "latency_ms": int(latency), "slots": int(slots), "trials": rows, "summary": summary},
          open(sys.argv[2], "w"), indent=2)
svcs = [s for s in ("us", "peer") if s in summary]
print(f"\n{jobs} jobs, model latency {latency} ms, {slots} slots, {len(rows) // max(1, len(svcs))} trial(s); median (min-max)\n")
print("| | " + " | ".join(svcs) + (" | ratio |" if len(svcs) == 2 else " |"))
print("|---|" + "---|" * (len(svcs) + (1 if len(svcs) == 2 else 0)))
for k, label in fields:
    cells = []
    for s in svcs:
        m = summary[s][k]
        if all(r.get(k) is None for r in by[s]):
            cells.append("n/a")
        else:
            cells.append(f"{m['median']:g} ({m['min']:g}-{m['max']:g})" if m["min"] != m["max"] else f"{m['median']:g}")
    ratio = ""
    if len(svcs) == 2 and k == "jobs_per_s" and summary["peer"][k]["median"]:
        ratio = f"{summary['us'][k]['median'] / summary['peer'][k]['median']:.1f}x"
    elif len(svcs) == 2 and k.endswith("per_job") and k.startswith("cpu") and summary["us"][k]["median"]:
        ratio = f"{summary['peer'][k]['median'] / summary['us'][k]['median']:.1f}x less"
    print(f"| {label} | " + " | ".join(cells) + (f" | {ratio} |" if len(svcs) == 2 else " |"))
for r in by.get("us", []):
    split = r.get("service_cpu_ms_per_job_by_thread") or {}
    print("\nour service CPU ms/job by thread kind: " + ", ".join(f"{k} {v:g}" for k, v in split.items()))
print(f"\nwritten: {sys.argv[2]}")
PY
