#!/usr/bin/env bash
# Builds the jar (target/agent-executor-*.jar, dependencies in target/lib) and the container image
# agent-executor:<git sha>. Without a Docker engine it builds the jar and says it skipped the image.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -q -DskipTests package
echo "built $(ls target/agent-executor-*.jar)"
# The full SHA: docs/deployment.md tags and pushes agent-executor:$(git rev-parse HEAD).
sha="$(git rev-parse HEAD)"
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker build -t "agent-executor:$sha" .
  echo "built image agent-executor:$sha"
else
  echo "SKIPPED the image agent-executor:$sha: no Docker engine answers here (docker info failed)"
fi
