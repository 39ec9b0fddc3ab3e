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

FROM eclipse-temurin:25-jre-noble
# A fixed numeric UID, so Kubernetes can verify runAsNonRoot without a passwd lookup.
RUN groupadd --system --gid 10001 agent \
 && useradd --system --uid 10001 --gid agent --no-create-home --home-dir /tmp --shell /usr/sbin/nologin agent
WORKDIR /app
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/agent-executor.jar /app/agent-executor.jar
# Flyway migrations ship inside the jar (classpath:db/migration); the init container
# runs them through run-migrations.sh, which starts the jar through run.sh.
COPY --chmod=0555 scripts/ci/run.sh scripts/ci/run-migrations.sh /app/scripts/ci/

# APP_JAR: the image's contract with scripts/ci/run.sh (tested by CrossFileConsistencyTest).
# The root filesystem is read-only in Kubernetes: the only writable path is /tmp (an
# emptyDir), so the JVM, Vert.x's file cache and every temp file go there, and no
# hsperfdata file is written.
ENV APP_JAR=/app/agent-executor.jar \
    PORT=8080 \
    HOME=/tmp \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.io.tmpdir=/tmp -Dvertx.cacheDirBase=/tmp/vertx-cache"

USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/agent-executor.jar"]
