#!/bin/bash
# Build Python sdists with Pants, inside the Pants builder container, in two phases:
#
#   build.sh prepare [PANTS_OPTION...] -- TARGET...   (run WITH network)
#       runs `pants package TARGET...` once so that everything Pants downloads lands in the cache
#       mounts: its content store and its named caches (named_caches/pex_root: pip 23.0.1 for pex,
#       setuptools for the sdist build, pip's cache). Nothing is written to /out.
#       The build user's ~/.pex is a cache mount too but stays empty: the image's pex is built like
#       the release (--no-strip-pex-env), so it honours the PEX_ROOT Pants gives it. A pex built with
#       the defaults strips PEX_* variables and keeps its pip venvs in ~/.pex instead, which then
#       must persist for the offline phase (notes/pants.md saw that).
#   build.sh package [PANTS_OPTION...] -- TARGET...   (run with --network=none)
#       runs `pants --no-local-cache package TARGET...`: no process result is replayed from the
#       cache, every process really runs again (setup.py sdist included); only downloads come from the
#       caches. The sdists are copied to /out/dist.
#
# Each phase works on its own writable copy of /src (without .git) at /build/src, the Pants build root.
# PANTS_OPTIONs come from the host: the overrides of the tagged configuration it has decided on
# (interpreter constraints, bootstrap search path, indexes; see verifier/pants/deviations.py). This
# script adds the ones that are about this image and its mounts (stores, CA bundle, pex tool).
#
# Mounts:  /src        the checkout, READ-ONLY
#          /out        writable: dist/*.tar.gz (package phase), pants-outputs.sha256
#          /cache      writable: lmdb_store/, named_caches/ (kept between runs)
#          ~/.pex      writable: the build user's default pex root (kept between runs; see above)
#          /build      writable scratch with exec (tmpfs)
# Environment: EXECUTION_ROOT_DIR (optional) a directory inside the build root that Pants' configured
#          local_execution_root_dir needs (backend.ai: .tmp; Pants does not create it); SOURCE_DATE_EPOCH
#          is passed along but Pants does not hand it to the processes it runs.
#
# Exit codes: 0 done; 2 unusable input; 5 Pants failed; 6 Pants produced no sdist.
set -euo pipefail
umask 022

readonly SRC=/src OUT=/out CACHE=/cache WORK=/build
readonly BUILDROOT="$WORK/src"
readonly CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
readonly PEX_TOOL=/opt/pex-tool

fail() {
    local code=$1
    shift
    echo "build.sh: $*" >&2
    exit "$code"
}

phase=${1:-}
[ $# -gt 0 ] && shift
case "$phase" in
    prepare | package) ;;
    *) fail 2 "usage: build.sh prepare|package [PANTS_OPTION...] -- TARGET..." ;;
esac
options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    case "$1" in
        --*) options+=("$1") ;;
        *) fail 2 "not a Pants option: '$1' (targets go after --)" ;;
    esac
    shift
done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || fail 2 "no target given"
targets=("$@")

[ -f "$SRC/pants.toml" ] || fail 2 "no pants.toml in $SRC"
[ -w "$WORK" ] || fail 2 "$WORK is not writable by uid $(id -u)"
[ -w "$CACHE" ] || fail 2 "$CACHE is not writable by uid $(id -u)"
[ -w "$HOME/.pex" ] || fail 2 "$HOME/.pex is not writable by uid $(id -u)"
if [ "$phase" = package ]; then
    [ -w "$OUT" ] || fail 2 "$OUT is not writable by uid $(id -u)"
fi
case "/${EXECUTION_ROOT_DIR:-}/" in
    //*/ | */../*) fail 2 "EXECUTION_ROOT_DIR must be a relative path inside the build root" ;;
esac

interfaces=""
for device in /sys/class/net/*; do
    [ -e "$device" ] && [ "${device##*/}" != lo ] && interfaces+="${device##*/} "
done
echo "== phase $phase as $(id -un):$(id -gn) ($(id -u):$(id -g)); network interfaces: ${interfaces:-none}"

echo "== copying $SRC (without .git) to $BUILDROOT"
mkdir -p "$BUILDROOT"
tar -C "$SRC" --exclude=./.git -cf - . | tar -C "$BUILDROOT" -xf -
cd "$BUILDROOT"
[ -n "${EXECUTION_ROOT_DIR:-}" ] && mkdir -p "$EXECUTION_ROOT_DIR"
mkdir -p "$CACHE/lmdb_store" "$CACHE/named_caches"

pants_args=(
    --no-pantsd
    --no-dynamic-ui
    "--local-store-dir=$CACHE/lmdb_store"
    "--named-caches-dir=$CACHE/named_caches"
    "--ca-certs-path=$CA_BUNDLE"
    "--pex-cli-version=$(cat "$PEX_TOOL/version")"
    "--pex-cli-known-versions=['$(cat "$PEX_TOOL/known_version")']"
    "--pex-cli-url-template=file://$PEX_TOOL/pex"
)
[ "$phase" = package ] && pants_args+=(--no-local-cache)
pants_args+=("${options[@]}")

echo "== pants ${pants_args[*]} package ${targets[*]}"
status=0
pants "${pants_args[@]}" package "${targets[@]}" || status=$?
if [ "$status" -ne 0 ]; then
    if [ -f .pants.d/pants.log ]; then
        echo "== last lines of .pants.d/pants.log"
        tail -n 60 .pants.d/pants.log
    fi
    fail 5 "pants package failed with exit $status"
fi

shopt -s nullglob
outputs=(dist/*)
echo "== Pants wrote:"
(cd dist && sha256sum -- * | sed 's/^/   /')
[ "$phase" = prepare ] && exit 0

sdists=(dist/*.tar.gz)
[ ${#sdists[@]} -gt 0 ] || fail 6 "Pants wrote no sdist (dist/: ${outputs[*]:-empty})"
mkdir -p "$OUT/dist"
cp -- "${sdists[@]}" "$OUT/dist/"
(cd dist && sha256sum -- *) > "$OUT/pants-outputs.sha256"
echo "== sdists in $OUT/dist: ${sdists[*]#dist/}"
