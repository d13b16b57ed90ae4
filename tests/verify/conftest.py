"""Fixtures for end-to-end verification: a publisher's venv, a local index, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import CliResult
from verifier.testing.index_server import LocalIndex

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schemas" / "verify-report.v1.json").read_text(encoding="utf-8"))


@pytest.fixture
def verify(cli, tmp_path: Path):
    """Run `verifier verify --json -` and return (result, report), a report valid under the published schema."""

    def run(repo: Path, tag: str, index: LocalIndex, *args: str) -> tuple[CliResult, dict]:
        result = cli("verify", "--tag", tag, "--repo", repo, "--index-url", index.url, "--json", "-", "--workdir", tmp_path / "work", *args)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"no JSON report (exit {result.code}): {result.stdout[-2000:]} {result.stderr[-2000:]}")
        jsonschema.validate(report, SCHEMA, cls=jsonschema.Draft202012Validator)
        return result, report

    return run
