#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster and make a database the tests can create databases from,
# reachable over the local socket as the user running the tests. Idempotent.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
    as_root pg_createcluster "$version" main >/dev/null
    cluster="$version main"
fi
# shellcheck disable=SC2086
as_root pg_ctlcluster $cluster start >/dev/null 2>&1 || true
me=$(id -un)
as_root su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='$me'\"" | grep -q 1 \
    || as_root su postgres -c "createuser --superuser '$me'"
psql -d postgres -qtAc "select 1 from pg_database where datname='verifier_test'" | grep -q 1 \
    || createdb verifier_test
