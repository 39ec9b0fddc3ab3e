#!/usr/bin/env bash
# Time from a model token to a watcher: to an SSE client of GET /jobs/{id}/events, and to the job
# console's screen in headless Chromium (apt-get install chromium chromium-driver).
# Usage: scripts/bench/watch-latency.sh [samples=20]   (uses the test servers, like the tests)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.bizmatters.agentexecutor.agent.WatchLatencyBench "${1:-20}"
