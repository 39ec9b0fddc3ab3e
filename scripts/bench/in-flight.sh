#!/usr/bin/env bash
# Measures how many slow jobs one JVM keeps in flight (see InFlightBench). Needs the test servers
# (.ci/run starts them). Usage: scripts/bench/in-flight.sh [jobs] [slots] [seconds per job]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -Djobs="${1:-2000}" -Dslots="${2:-2000}" -Dseconds="${3:-5}" \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" io.bizmatters.agentexecutor.bench.InFlightBench 2>&1 \
  | grep -E "BENCH|Exception|ERROR" || true
