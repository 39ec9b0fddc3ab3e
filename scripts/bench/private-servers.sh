# Sourced by benchmarks that run the service against servers of their own on free ports, so that
# nothing touches the machine's shared ones and PostgreSQL's counters (commits, WAL) are the
# benchmark's alone: PostgreSQL, Redis, NATS JetStream and the scripted model (bench/e2e).
# The caller sets `work` (a temporary directory) and `root` (the repository), and calls
# `stop_private_servers` on exit. Used by e2e.sh, fan-out.sh and wal-records.sh.

private_pids=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done; return 1; }

# The driver and the model stub, with the Node modules of bench/peer (the driver needs its NATS client).
install_bench_node() { # sets bench_node
  bench_node="$root/target/bench-peer"
  mkdir -p "$bench_node"
  cp "$root"/bench/peer/package.json "$root"/bench/peer/package-lock.json "$root"/bench/peer/peer.mjs "$root"/bench/e2e/*.mjs "$bench_node/"
  if ! cmp -s "$root/bench/peer/package-lock.json" "$bench_node/node_modules/.package-lock.json" 2>/dev/null; then
    (cd "$bench_node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
  fi
}

start_postgres() { # sets pgbin pgdata pgport pgpid; defines psql
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pgdata="$work/pg" pgport=$(free_port)
  mkdir -p "$pgdata" && chown postgres "$pgdata" "$work"
  runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -l "$work/pg.log" -w \
    -o "-p $pgport -k $work -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  pgpid=$(head -1 "$pgdata/postmaster.pid")
}
psql() { command psql -h 127.0.0.1 -p "$pgport" -U postgres -Atq "$@"; }

start_redis() { # sets redisport redispid
  redisport=$(free_port)
  redis-server --port "$redisport" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/dev/null &
  redispid=$!; private_pids+=("$redispid")
}

start_model_stub() { # $1 = latency ms, $2 = script; sets stubport stubpid
  stubport=$(free_port)
  PORT=$stubport LATENCY_MS=$1 SCRIPT=$2 node "$bench_node/model-stub.mjs" >/dev/null &
  stubpid=$!; private_pids+=("$stubpid")
  wait_http "http://127.0.0.1:$stubport/stats"
}

start_nats() { # an empty JetStream store each time; sets natsport (once) natspid
  natsport=${natsport:-$(free_port)}
  rm -rf "$work/js"; mkdir -p "$work/js"
  "$(command -v nats-server || echo /usr/sbin/nats-server)" -a 127.0.0.1 -p "$natsport" -js -sd "$work/js" >/dev/null 2>&1 &
  natspid=$!; private_pids+=("$natspid")
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$natsport") 2>/dev/null && return; sleep 0.05; done
}

# The service's variables for these servers (start_postgres, start_redis, start_nats and
# start_model_stub first; the database is "bench"): sets the array private_service_env.
set_private_service_env() { # $1 = the service's port
  private_service_env=(POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$pgport" POSTGRES_DB=bench POSTGRES_USER=postgres
    POSTGRES_PASSWORD= POSTGRES_SCHEMA=public DRAGONFLY_HOST=127.0.0.1 DRAGONFLY_PORT="$redisport"
    NATS_URL="nats://127.0.0.1:$natsport" PORT="$1" OPENAI_API_KEY=bench
    OPENAI_BASE_URL="http://127.0.0.1:$stubport/v1" LOG_LEVEL=WARN)
}

stop_private_servers() {
  for p in "${private_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${pgdata:-}" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
}
