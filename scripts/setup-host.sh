#!/bin/bash
# Make this host able to run the verifier's containers. Idempotent; run as root.
#
#   1. installs podman, runc and mmdebstrap with apt-get when one is missing;
#   2. smoke-tests `podman run --rm IMAGE /bin/true` with a tiny image made from the host's own
#      /bin/true (no registry needed);
#   3. only when that run fails with the errors seen on hosts whose cgroups are in hybrid mode or
#      that refuse the default ulimits, writes /etc/containers/containers.conf selecting runc and
#      explicit ulimits, and tests again.
# Prints what it changed; exits non-zero when podman still cannot run a container.
set -euo pipefail

readonly CONF=/etc/containers/containers.conf
readonly SMOKE_TAG=localhost/verifier-smoke:latest

say() { echo "setup-host: $*"; }

[ "$(id -u)" -eq 0 ] || { say "run me as root"; exit 2; }

missing=()
for tool in podman runc mmdebstrap; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q podman runc mmdebstrap
else
    say "podman, runc and mmdebstrap are installed"
fi

podman info >/dev/null || { say "'podman info' fails"; exit 1; }

scratch=$(mktemp -d)
cleanup() {
    rm -rf "$scratch"
    podman rmi "$SMOKE_TAG" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# A one-program image: /bin/true and the libraries it links.
mkdir -p "$scratch/root/bin"
cp -L /bin/true "$scratch/root/bin/true"
for lib in $(ldd /bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$scratch/root$(dirname "$lib")"
    cp -L "$lib" "$scratch/root$lib"
done
tar -C "$scratch/root" -cf "$scratch/smoke.tar" .
podman import -q "$scratch/smoke.tar" "$SMOKE_TAG" >/dev/null

smoke() { podman run --rm --network=none "$SMOKE_TAG" /bin/true >"$scratch/smoke.log" 2>&1; }

if smoke; then
    say "podman runs containers: nothing to change"
    exit 0
fi
say "podman run failed: $(tail -n 1 "$scratch/smoke.log")"
if ! grep -qE 'cgroups in hybrid mode|setrlimit|error setting rlimit' "$scratch/smoke.log"; then
    say "not the cgroup/ulimit failure this script knows how to fix; leaving the configuration alone"
    exit 1
fi
if [ -e "$CONF" ]; then
    say "$CONF exists: not overwriting it. Add these settings to it by hand:"
    echo '[containers]  default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]'
    echo '[engine]      runtime = "runc"'
    exit 1
fi
mkdir -p "$(dirname "$CONF")"
cat >"$CONF" <<'CONF'
# Written by the verifier's scripts/setup-host.sh: this host's crun cannot handle its cgroups
# (hybrid mode) and the default ulimits are refused, so select runc and explicit ulimits.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
CONF
say "wrote $CONF (runtime = \"runc\", default_ulimits nofile/nproc 1024:1024)"
if smoke; then
    say "podman runs containers now"
else
    say "podman run still fails: $(tail -n 1 "$scratch/smoke.log")"
    exit 1
fi
