#!/usr/bin/env bash
# The main job on the shipped example: set up, then verify demo-pkg 1.0.0, rebuilt from its tag in
# a container, against the sdist "published" on a local package index (examples/demo/index).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

scratch="$(mktemp -d)"
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
bash examples/demo/make-repo.sh "$scratch/demo-pkg" >/dev/null
.venv/bin/python -m verifier.testing.index_server examples/demo/index --port 0 > "$scratch/index-url" 2>"$scratch/index.log" &
server=$!
for _ in $(seq 50); do [ -s "$scratch/index-url" ] && break; sleep 0.1; done
index_url="$(head -n1 "$scratch/index-url")"

cd "$scratch/demo-pkg"
set +e
"$OLDPWD/.venv/bin/verify" --tag 1.0.0 --index-url "$index_url" "$@"
code=$?
set -e
echo "verify exited with $code (0 reproducible, 1 not reproducible, 2 bad input, 3 could not verify)"
exit $code
