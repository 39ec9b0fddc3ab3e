#!/usr/bin/env bash
# Applies the Flyway migrations with the service's own environment variables (POSTGRES_*), then
# exits: non-zero with a clear message when a migration fails. The Kubernetes init container runs
# this inside the image (the Dockerfile sets APP_JAR); run.sh finds the jar.
set -euo pipefail
exec "$(dirname "$0")/run.sh" migrate
