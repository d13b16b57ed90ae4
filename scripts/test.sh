#!/usr/bin/env bash
# Set up this machine, lint (scripts/lint.sh), then run the whole test suite (real git, real podman, a
# real local index).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Lint first (ruff, mypy, the size limits): a lint error fails the run before any test runs.
bash scripts/lint.sh
# The dashboard tests render pages in a real headless browser.
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
# The history store is tested on PostgreSQL too: Debian's server, a database for the tests.
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bash scripts/postgres-for-tests.sh
# The distributed nightly job is tested over real brokers: the tests start their own RabbitMQ and
# Redis (private ports, 127.0.0.1, scratch directories); they need Debian's servers installed.
if ! command -v rabbitmq-server >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server redis-server >/dev/null
fi
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure here" >&2
    exit 1
fi
exit "$code"
