#!/usr/bin/env bash
# Rows, bytes and commits that checkpointing an N-step agent job costs in PostgreSQL (default 10
# steps), against storing the whole state at every step. Needs the test PostgreSQL (see
# TestServers): a throwaway database is created and dropped.
#   scripts/bench/checkpoint-cost.sh [steps]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
steps="${1:-10}"
mvn -B -q test-compile
mvn -B -q exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=io.bizmatters.agentexecutor.checkpoint.CheckpointCostBench -Dexec.args="$steps" 2>&1 \
    | grep -v -e '^WARNING' -e 'StatusLogger'
