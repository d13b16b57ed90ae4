"""The versions of the verifier and of the tools that decide its verdicts.

uv resolves the build requirements, diffoscope explains differences, the container runtime runs
the build: a report without their versions could not be re-run the same way. Each is asked once
per process; a tool that is missing or does not answer is reported as such, never an error.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from verifier import __version__

_TIMEOUT_S = 20.0
NOT_FOUND = "not found"


def _first_line(command: list[str]) -> str:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False,
                                   stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return NOT_FOUND
    lines = (completed.stdout or completed.stderr).strip().splitlines()
    return lines[0].strip() if completed.returncode == 0 and lines else NOT_FOUND


@cache
def uv_version() -> str:
    """``uv X.Y.Z`` of the uv the verifier runs (the one shipped with the ``uv`` package)."""
    try:
        from uv import find_uv_bin

        executable = find_uv_bin()
    except (ImportError, FileNotFoundError):
        return NOT_FOUND
    return _first_line([executable, "--version"]).split(" (")[0]


@cache
def diffoscope_version() -> str:
    beside = Path(sys.executable).with_name("diffoscope")
    executable = str(beside) if beside.exists() else shutil.which("diffoscope")
    return _first_line([executable, "--version"]) if executable else NOT_FOUND


@cache
def runtime_version(name: str) -> str:
    executable = shutil.which(name)
    return _first_line([executable, "--version"]) if executable else NOT_FOUND


def version_lines() -> list[str]:
    """What ``verifier --version`` prints."""
    return [
        f"verifier {__version__} (sdist-verifier, Python {sys.version.split()[0]})",
        f"uv: {uv_version()}",
        f"diffoscope: {diffoscope_version()}",
        f"podman: {runtime_version('podman')}",
        f"docker: {runtime_version('docker')}",
    ]
