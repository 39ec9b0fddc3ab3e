# syntax=docker/dockerfile:1
#
# agent-executor image. Build: scripts/ci/build.sh (tags it with the git SHA).
#
# Java 25 at run time although the code targets release 21: virtual threads no longer pin
# their carrier inside synchronized blocks (JEP 491), which matters for thousands of
# in-flight LLM jobs per JVM, and the tests run on Temurin 25 too.

FROM maven:3.9-eclipse-temurin-25-noble AS build
WORKDIR /build
# Dependencies first, so a source-only change reuses this layer.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
# Produces target/agent-executor-<version>.jar and its runtime dependencies in target/lib/
# (the jar's manifest Class-Path points at lib/).
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package \
 && cp target/agent-executor-*.jar /build/agent-executor.jar

# Training run for the JDK's AOT cache (JEP 483/514/515): the service starts against throw-away
# servers in this stage, runs the sample job 300 times on the offline model and stops, and the
# classes it loaded and linked, with the profiles of the methods it ran, go into
# /app/agent-executor.aot. Same base image, jar path and class path as the runtime stage, which a
# cache requires. See docs/performance.md for what it saves.
FROM eclipse-temurin:25-jre-noble AS train
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends postgresql nats-server redis-server curl >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/agent-executor.jar /app/agent-executor.jar
COPY scripts/ci/train-aot.sh examples/sample-job.json /train/
RUN pg_ctlcluster "$(ls /etc/postgresql)" main start \
 && su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'train'\"" \
 && redis-server --daemonize yes --save '' --appendonly no \
 && (nats-server -a 127.0.0.1 -js -sd /tmp/js >/dev/null 2>&1 &) \
 && POSTGRES_HOST=127.0.0.1 POSTGRES_DB=postgres POSTGRES_PASSWORD=train DRAGONFLY_HOST=127.0.0.1 \
    DRAGONFLY_PORT=6379 NATS_URL=nats://127.0.0.1:4222 \
    /train/train-aot.sh /app/agent-executor.jar /app/agent-executor.aot /train/sample-job.json

FROM eclipse-temurin:25-jre-noble
# A fixed numeric UID, so Kubernetes can verify runAsNonRoot without a passwd lookup.
RUN groupadd --system --gid 10001 agent \
 && useradd --system --uid 10001 --gid agent --no-create-home --home-dir /tmp --shell /usr/sbin/nologin agent
WORKDIR /app
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/agent-executor.jar /app/agent-executor.jar
COPY --from=train /app/agent-executor.aot /app/agent-executor.aot
# Flyway migrations ship inside the jar (classpath:db/migration); the init container
# runs them through run-migrations.sh, which starts the jar through run.sh.
COPY --chmod=0555 scripts/ci/run.sh scripts/ci/run-migrations.sh /app/scripts/ci/

# APP_JAR: the image's contract with scripts/ci/run.sh (tested by CrossFileConsistencyTest).
# The root filesystem is read-only in Kubernetes: the only writable path is /tmp (an
# emptyDir), so the JVM, Vert.x's file cache and every temp file go there, and no
# hsperfdata file is written. -XX:AOTCache starts the JVM from the trained cache (a JVM that
# cannot use it says so once and starts without it).
ENV APP_JAR=/app/agent-executor.jar \
    PORT=8080 \
    HOME=/tmp \
    JAVA_TOOL_OPTIONS="-XX:AOTCache=/app/agent-executor.aot -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.io.tmpdir=/tmp -Dvertx.cacheDirBase=/tmp/vertx-cache"

USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/agent-executor.jar"]
