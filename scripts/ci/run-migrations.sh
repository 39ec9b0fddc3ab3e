#!/usr/bin/env bash
# Applies the Flyway migrations with the service's own environment variables (POSTGRES_*), then
# exits: non-zero with a clear message when a migration fails. The Kubernetes init container runs
# this. The jar is AGENT_EXECUTOR_JAR, else /app/agent-executor.jar (the image), else target/.
set -euo pipefail
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="${AGENT_EXECUTOR_JAR:-}"
if [ -z "$jar" ] && [ -f /app/agent-executor.jar ]; then
  jar=/app/agent-executor.jar
fi
if [ -z "$jar" ]; then
  jar="$(ls "$(dirname "$0")"/../../target/agent-executor-*.jar 2>/dev/null | head -1 || true)"
fi
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "agent-executor jar not found: set AGENT_EXECUTOR_JAR or run scripts/ci/build.sh" >&2
  exit 1
fi
exec "$JAVA" ${JAVA_OPTS:-} -jar "$jar" migrate
