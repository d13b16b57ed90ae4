#!/usr/bin/env bash
# What the composite action (action.yml) runs: install the verifier from the action's own tree into a
# virtual environment, make the host able to run builds, verify NAME==VERSION, and hand the verdict,
# the report, the attestation and a step summary to GitHub Actions.
#
# Inputs come as INPUT_* variables; GitHub's files as GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
# VERIFIER_ACTION_SKIP_HOST_SETUP=1 skips the root-only host setup (a host already set up).
set -euo pipefail

action_root="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
temp="${RUNNER_TEMP:-$(mktemp -d)}"
out="$temp/verifier-out"
venv="$temp/verifier-venv"
mkdir -p "$out"
: "${INPUT_PACKAGE:?input 'package' is required}"
: "${INPUT_VERSION:?input 'version' is required}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$venv/bin/verifier" ]; then
    python3 -m venv "$venv"
    PIP_CONFIG_FILE=/dev/null "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$action_root[diffoscope]"
fi
if [ "${VERIFIER_ACTION_SKIP_HOST_SETUP:-0}" != 1 ]; then
    as_root bash "$action_root/scripts/setup-host.sh"
fi
suite=bookworm
case "${INPUT_PYTHON:-}" in 3.9) suite=bullseye ;; 3.13) suite=trixie ;; esac
"$venv/bin/verifier" -q image bootstrap --suite "$suite" >/dev/null

args=(verify "$INPUT_PACKAGE==$INPUT_VERSION" --index-url "${INPUT_INDEX_URL:-https://pypi.org/simple/}"
      --json "$out/report.json" --attestation "$out/attestation.intoto.json")
[ -n "${INPUT_REPO:-}" ] && args+=(--repo "$INPUT_REPO")
[ -n "${INPUT_PYTHON:-}" ] && args+=(--python "$INPUT_PYTHON")
if [ -n "${INPUT_OPTIONS:-}" ]; then
    # shlex-split the extra options the way a shell would, without evaluating anything.
    mapfile -t extra < <(python3 -c 'import shlex, sys; print("\n".join(shlex.split(sys.argv[1])))' "$INPUT_OPTIONS")
    args+=("${extra[@]}")
fi

set +e
"$venv/bin/verifier" "${args[@]}" --format markdown > "$out/summary.md"
code=$?
set -e

verdict=$(python3 -c 'import json, sys
try:
    print(json.load(open(sys.argv[1]))["verdict"])
except Exception:
    print("error")' "$out/report.json")
cat "$out/summary.md" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
{
    echo "verdict=$verdict"
    echo "exit-code=$code"
    echo "report=$out/report.json"
    echo "attestation=$out/attestation.intoto.json"
} >> "${GITHUB_OUTPUT:-/dev/null}"
echo "verifier: $INPUT_PACKAGE $INPUT_VERSION: $verdict (exit $code)"

case "${INPUT_FAIL_ON:-different}" in
    never) exit 0 ;;
    not-reproducible) [ "$code" -eq 1 ] && exit 1; exit 0 ;;
    *) exit "$code" ;;
esac
