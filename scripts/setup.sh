#!/usr/bin/env bash
# Set up this machine for the verifier: container runtime (podman, runc, mmdebstrap), libraries
# diffoscope needs, a virtual environment with the verifier installed, and the builder base image
# made from Debian packages. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

as_root bash scripts/setup-host.sh
missing=()
for package in libarchive13 libmagic1 git; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# The host's own pip configuration (extra indexes, constraints) must not shape our environment.
PIP_CONFIG_FILE=/dev/null .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

.venv/bin/verifier image bootstrap --suite bookworm
