#!/usr/bin/env bash
# Starts the service: the image's jar when APP_JAR is set (the Dockerfile sets it), else the
# built target/agent-executor-*.jar (dependencies in target/lib). Arguments go to the service
# (`migrate` applies the migrations and exits). Configuration comes from the environment
# variables of docs/contract.md; see README.md and docs/deployment.md.
set -euo pipefail
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="${APP_JAR:-$(ls "$(dirname "$0")"/../../target/agent-executor-*.jar 2>/dev/null | head -1 || true)}"
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "agent-executor jar not found (APP_JAR='${APP_JAR:-}'): set APP_JAR or run scripts/ci/build.sh first" >&2
  exit 1
fi
# The JDK's AOT cache from scripts/ci/train-aot.sh, when one was trained for this jar: a faster start.
aot="${AOT_CACHE:-$(dirname "$jar")/agent-executor.aot}"
[ -f "$aot" ] && aot_option="-XX:AOTCache=$aot" || aot_option=""
exec "$JAVA" ${aot_option} ${JAVA_OPTS:-} -jar "$jar" "$@"
