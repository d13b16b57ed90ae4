"""Fixtures shared by every test folder."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def verifier_executable() -> str:
    """The installed `verifier` console script, beside this Python."""
    script = Path(sys.executable).with_name("verifier")
    if not script.exists():
        pytest.fail(f"the verifier console script is not installed beside {sys.executable}")
    return str(script)


@pytest.fixture
def cli():
    """Run the real `verifier` entry point as a subprocess."""

    def run(*args: str | Path, cwd: Path | None = None, timeout: float = 600, env: dict[str, str] | None = None) -> CliResult:
        process = subprocess.run(
            [verifier_executable(), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=timeout,
            env=env,
        )
        return CliResult(process.returncode, process.stdout, process.stderr)

    return run
