"""Fixtures for end-to-end verification: a publisher's venv, a local index, the real CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.verify.projects import PROJECTS, SETUP_REQUIRES, UPLOAD_TIME, Publisher, publisher_venv
from verifier.upstream.local_server import LocalIndex
from verifier.upstream.requirements import resolve_build_requirements


@pytest.fixture(scope="session")
def publisher(tmp_path_factory: pytest.TempPathFactory) -> Publisher:
    """Every backend the test projects use, at the versions the verifier will pin for them."""
    cutoff = datetime.fromisoformat(UPLOAD_TIME.replace("Z", "+00:00"))
    pins: dict[str, str] = {}
    for project in [*PROJECTS.values(), SETUP_REQUIRES]:
        for pin in resolve_build_requirements(
            list(project.requires), cutoff, "https://pypi.org/simple/", "3.11", workdir=tmp_path_factory.mktemp("resolve")
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


@pytest.fixture
def verify(cli, tmp_path: Path):
    """Run `verifier verify --json -` and return (result, report)."""

    def run(repo: Path, tag: str, index: LocalIndex, *args: str) -> tuple[CliResult, dict]:
        result = cli("verify", "--tag", tag, "--repo", repo, "--index-url", index.url, "--json", "-", "--workdir", tmp_path / "work", *args)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"no JSON report (exit {result.code}): {result.stdout[-2000:]} {result.stderr[-2000:]}")
        return result, report

    return run
