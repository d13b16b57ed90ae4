#!/usr/bin/env bash
# Lint the project with the virtual environment's tools (installed by the `lint` extra, which the
# `test` extra includes): ruff over the whole tree, mypy over the package (both configured in
# pyproject.toml), and the size limits (modules 500 lines, functions 80). Exits non-zero on any finding.
# VERIFIER_VENV names another virtual environment (default: .venv at the project's root).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${VERIFIER_VENV:-.venv}"
for tool in ruff mypy; do
    if [ ! -x "$venv/bin/$tool" ]; then
        echo "lint: $venv/bin/$tool is missing: pip install -e '.[lint]'" >&2
        exit 2
    fi
done
"$venv/bin/ruff" check --quiet .
"$venv/bin/mypy" verifier
"$venv/bin/python" scripts/check-sizes.py
