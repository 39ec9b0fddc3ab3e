#!/usr/bin/env bash
# Runs the fault suite (src/test/java/.../faults/FaultSuiteIT, docs/operations.md "Fault suite")
# K times with N jobs, against private servers it starts itself, and prints each run's summary line.
#   scripts/fault-suite.sh [--jobs N] [--runs K] [-Dfaultsuite.<setting>=<value> ...]
# Each run is a `mvn verify` that runs only the fault suite; logs are in target/fault-suite/<run>/.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

jobs=200
runs=1
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -D*) extra+=("$1"); shift ;;
    *) echo "usage: $0 [--jobs N] [--runs K] [-Dfaultsuite.<setting>=<value> ...]" >&2; exit 2 ;;
  esac
done

mkdir -p target/fault-suite
failed=0
for run in $(seq "$runs"); do
  log="target/fault-suite/mvn-run-$run.log"
  mvn -B verify -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultSuiteIT \
    -Dfaultsuite.jobs="$jobs" "${extra[@]}" >"$log" 2>&1
  status=$?
  summary=$(grep -a '^fault-suite: jobs=' "$log" | tail -1)
  echo "run $run/$runs: ${summary:-no summary line (see $log)}"
  [ $status -eq 0 ] || failed=$((failed + 1))
done
echo "fault-suite: $((runs - failed)) of $runs runs passed"
[ $failed -eq 0 ]
