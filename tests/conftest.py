"""Fixtures shared by every test folder."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.projects import (
    FLIT_COMMAND_REQUIRES,
    PROJECTS,
    SETUP_REQUIRES,
    UPLOAD_TIME,
    Publisher,
    publisher_venv,
)
from verifier.testing.index_server import LocalIndex
from verifier.upstream.requirements import resolve_build_requirements


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
            check=False,
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=timeout,
            env=env,
        )
        return CliResult(process.returncode, process.stdout, process.stderr)

    return run


@pytest.fixture(scope="session")
def publisher(tmp_path_factory: pytest.TempPathFactory) -> Publisher:
    """Every backend the test projects use, at the versions the verifier will pin for them."""
    cutoff = datetime.fromisoformat(UPLOAD_TIME)
    pins: dict[str, str] = {}
    for requires in [*(p.requires for p in PROJECTS.values()), SETUP_REQUIRES.requires, PROJECTS["flit"].requires + FLIT_COMMAND_REQUIRES]:
        for pin in resolve_build_requirements(
            list(requires), cutoff, "https://pypi.org/simple/", "3.11", workdir=tmp_path_factory.mktemp("resolve")
        ):
            pins[pin.name] = pin.version
    return publisher_venv(tmp_path_factory.mktemp("publisher") / "venv", [f"{name}=={version}" for name, version in pins.items()])


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "index"
    directory.mkdir()
    return directory


@pytest.fixture
def local_index(index_dir: Path) -> Iterator[LocalIndex]:
    with LocalIndex(index_dir) as index:
        yield index
