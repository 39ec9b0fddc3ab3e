#!/usr/bin/env bash
# How long a cancel takes to stop a job that waits in a model stream (HTTP DELETE to the job's own
# HTTP answer), the same with the DELETE sent to another pod, and one that waits in a tool route
# (core NATS cancel to its failed event), through the whole service on the real servers
# (JobCancelTest prints each as a BENCH line).
# Usage: TEST_DRAGONFLY_PORT=<port> scripts/bench/cancel-latency.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
for run in $(seq "${1:-3}"); do
  mvn -B -q test -Dtest='JobCancelTest#aCancel*AtOnce+aCancel*ToolRouteWaits+aCancelReceivedByAnotherPod*' -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
    | grep -E "^BENCH" || { echo "run $run failed"; exit 1; }
done
