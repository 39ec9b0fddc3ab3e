#!/usr/bin/env bash
# Runs agent-executor on this machine with embedded defaults: PostgreSQL (zonky embedded-postgres)
# and a Redis-compatible server (embedded-redis) from Maven artifacts, and nats-server from PATH.
# Once up, it prints the commands that submit examples/sample-job.json over HTTP and NATS and watch
# its stream; the servers' output goes to target/local-run/. Ctrl-C drains the service, then stops them.
# Model keys (OPENAI_API_KEY, ANTHROPIC_API_KEY, *_BASE_URL) and PORT are taken from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

nats_server="$(command -v nats-server || true)"
[ -z "$nats_server" ] && [ -x /usr/sbin/nats-server ] && nats_server=/usr/sbin/nats-server
if [ -z "$nats_server" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "nats-server is not installed; installing it with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq nats-server
    nats_server="$(command -v nats-server || echo /usr/sbin/nats-server)"
  else
    echo "nats-server is not installed. Install it, then run this again:" >&2
    echo "  sudo apt-get install nats-server    (Debian/Ubuntu)" >&2
    echo "  or download it from https://github.com/nats-io/nats-server/releases" >&2
    exit 1
  fi
fi

# JDK 24+ warns about sun.misc.Unsafe on every start (Maven's guava, Vert.x's netty); those libraries
# still use it, so allow it where the flag exists rather than print four lines of warnings.
unsafe_flag=""
"$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1 && unsafe_flag="--sun-misc-unsafe-memory-access=allow"
export MAVEN_OPTS="${MAVEN_OPTS:-} $unsafe_flag"

echo "Building agent-executor with Maven (compile and package, tests skipped); it prints nothing meanwhile (one to a few minutes)."
[ -d "${HOME}/.m2/repository/org/apache/camel" ] ||
  echo "First run: Maven also downloads the dependencies and build plugins from Maven Central into ~/.m2 (about 160 MB of jars for the service alone), so it takes longer."
# Local launcher classes are test code of the 'local' profile: they never reach the production jar.
mvn -B -q -Dstyle.color=never -Plocal -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/local-classpath.txt
exec "$JAVA" $unsafe_flag -cp "target/classes:target/test-classes:$(cat target/local-classpath.txt)" \
  io.bizmatters.agentexecutor.local.LocalRun
