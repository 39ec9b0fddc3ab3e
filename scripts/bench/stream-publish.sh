#!/usr/bin/env bash
# Events per second through DragonflyJobEventPublisher into a local Redis-compatible server.
# Usage: scripts/bench/stream-publish.sh [port=16380] [jobs=200] [events_per_job=2000] [tokens_per_second_per_job]
# Without the last argument jobs emit as fast as they can (capacity); with it they pace like a streaming model.
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${1:-16380}"; jobs="${2:-200}"; events="${3:-2000}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.bizmatters.agentexecutor.streaming.StreamPublishBench "$port" "$jobs" "$events" ${4:+"$4"}
