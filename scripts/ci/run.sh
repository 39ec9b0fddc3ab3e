#!/usr/bin/env bash
# Starts the built service (target/agent-executor-*.jar with its dependencies in target/lib).
# Configuration comes from the environment variables of contract.md; see README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$(ls target/agent-executor-*.jar 2>/dev/null | head -1 || true)"
if [ -z "$jar" ]; then
  echo "no target/agent-executor-*.jar: run scripts/ci/build.sh first" >&2
  exit 1
fi
exec "$JAVA" ${JAVA_OPTS:-} -jar "$jar" "$@"
