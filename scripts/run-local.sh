#!/usr/bin/env bash
# Runs agent-executor on this machine with embedded defaults: PostgreSQL (zonky embedded-postgres)
# and a Redis-compatible server (embedded-redis) from Maven artifacts, and nats-server from PATH.
# Once up, it prints the commands that submit examples/sample-job.json over HTTP and NATS.
# Model keys (OPENAI_API_KEY, ANTHROPIC_API_KEY, *_BASE_URL) and PORT are taken from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

nats_server="$(command -v nats-server || true)"
[ -z "$nats_server" ] && [ -x /usr/sbin/nats-server ] && nats_server=/usr/sbin/nats-server
if [ -z "$nats_server" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "nats-server is not installed; installing it with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq nats-server
    nats_server="$(command -v nats-server || echo /usr/sbin/nats-server)"
  else
    echo "nats-server is not installed. Install it, then run this again:" >&2
    echo "  sudo apt-get install nats-server    (Debian/Ubuntu)" >&2
    echo "  or download it from https://github.com/nats-io/nats-server/releases" >&2
    exit 1
  fi
fi

# Local launcher classes are test code of the 'local' profile: they never reach the production jar.
mvn -B -q -Plocal -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/local-classpath.txt
exec "$JAVA" -cp "target/classes:target/test-classes:$(cat target/local-classpath.txt)" \
  io.bizmatters.agentexecutor.local.LocalRun
