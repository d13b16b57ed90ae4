#!/usr/bin/env bash
# Make the demo's git repository in DIR: the files of examples/demo/project, committed and tagged
# v1.0.0 with fixed names and dates, so the commit is the same on every machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${1:?usage: make-repo.sh DIR}"
rm -rf "$dest"
mkdir -p "$dest"
cp -a "$here/project/." "$dest/"
export GIT_AUTHOR_NAME="Demo Maintainer" GIT_AUTHOR_EMAIL="demo@example.org" \
       GIT_COMMITTER_NAME="Demo Maintainer" GIT_COMMITTER_EMAIL="demo@example.org" \
       GIT_AUTHOR_DATE="2025-05-30T10:00:00Z" GIT_COMMITTER_DATE="2025-05-30T10:00:00Z" \
       GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git -C "$dest" init -q -b main
git -C "$dest" add -A
git -C "$dest" commit -q -m "demo-pkg 1.0.0"
git -C "$dest" tag -a v1.0.0 -m "demo-pkg 1.0.0"
git -C "$dest" rev-parse HEAD
