#!/usr/bin/env bash
# Jobs/s with tracing exporting over OTLP against tracing off (see TracingOverheadBench), each mode
# in its own JVM, alternating. Needs the test servers (.ci/run starts them).
# Usage: scripts/bench/tracing-overhead.sh [jobs] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
for round in $(seq "${2:-2}"); do
  for tracing in off on; do
    "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Djobs="${1:-500}" -Dtracing="$tracing" \
      -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
      io.bizmatters.agentexecutor.bench.TracingOverheadBench 2>&1 | grep -E "BENCH|Exception" || true
  done
done
