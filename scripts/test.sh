#!/usr/bin/env bash
# Runs every test: unit tests and the integration tests against real PostgreSQL, NATS JetStream and
# a Redis-compatible server on 16380 (see src/test/java/.../testsupport/TestServers.java).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
exec mvn -B verify "$@"
