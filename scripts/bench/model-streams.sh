#!/usr/bin/env bash
# How many slow model streams one JVM reads at once (see ModelStreamsBench), through the real
# OpenAI client against the in-process test model server; no other server needed.
# Usage: scripts/bench/model-streams.sh [calls=2000] [common pool parallelism=8] [settle seconds=10]
# The parallelism stands for a production node's core count minus one.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -Dcalls="${1:-2000}" -Djava.util.concurrent.ForkJoinPool.common.parallelism="${2:-8}" \
  -Dsettle="${3:-10}" -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  io.bizmatters.agentexecutor.bench.ModelStreamsBench 2>&1 | grep -E "BENCH|Exception|ERROR" || true
