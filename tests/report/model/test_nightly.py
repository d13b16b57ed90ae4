"""The nightly models: the record a worker hands the store, and summary.json."""

from __future__ import annotations

import json
from pathlib import Path

from tests.nightly.outputs.sample import sample_dicts
from verifier.nightly.outputs import History, write_all
from verifier.report.model.compare import NormalizationReport
from verifier.report.model.nightly import ArtifactLine, DifferenceLine, NightlyRecord
from verifier.report.model.serialize import from_data, to_data
from verifier.report.model.verdict import Verdict
from verifier.store.db import _RESULT_FIELDS

SUMMARY_KEYS = [
    "schema", "run", "total", "counts", "reproducible", "unverified", "regressed", "exit_code", "exit_reason",
    "verdicts", "regressions", "results", "packages", "files",
]
RESULT_KEYS = [
    "package", "version", "verdict", "tag", "commit", "published_url", "published_sha256", "upload_time",
    "rebuilt_sha256", "builder", "builder_image", "normalizations", "differences", "explanations", "error",
    "started_at", "finished_at", "duration_s", "report_path", "diffoscope_html", "log_path", "command", "regressed",
    "run_id", "artifacts", "reproducible", "links",
]
ARTIFACT_KEYS = ["filename", "kind", "verdict", "sha256", "rebuilt_sha256", "built_from", "not_verified", "differences", "regressed"]


def test_the_record_holds_every_stored_column_and_reads_back() -> None:
    record = NightlyRecord(
        package="pkg",
        version="1.0",
        verdict=Verdict.EQUIVALENT,
        normalizations={"mtime": NormalizationReport("tar mtimes", "members", 3, 3, 3)},
        differences=(DifferenceLine("pkg-1.0/a.py", "mtime", "differs"),),
        started_at="2026-01-01T00:00:00+00:00",
        duration_s=1.5,
        artifacts=(
            ArtifactLine("pkg-1.0.tar.gz", "sdist", Verdict.EQUIVALENT, "a" * 64, "b" * 64, "tag"),
            ArtifactLine("pkg-1.0-py3-none-any.whl", "wheel", Verdict.DIFFERENT, "c" * 64, "d" * 64, "rebuilt sdist",
                         differences=(DifferenceLine("pkg/a.py", "content", "differs"),), regressed=True),
            ArtifactLine("pkg-1.0-cp312-cp312-win_amd64.whl", "wheel", None, "e" * 64, not_verified="platform wheel"),
        ),
    )
    data = to_data(record)
    assert set(_RESULT_FIELDS) <= set(data)
    assert [list(a) for a in data["artifacts"]] == [ARTIFACT_KEYS] * 3 and data["artifacts"][2]["verdict"] is None
    assert data["verdict"] == "equivalent" and data["normalizations"]["mtime"]["pairs"] == 3
    assert from_data(NightlyRecord, json.loads(json.dumps(data))) == record


def test_summary_json_keeps_its_keys_and_order(tmp_path: Path) -> None:
    write_all(History.from_dicts(*sample_dicts(tmp_path / "work")), tmp_path / "site")
    data = json.loads((tmp_path / "site" / "summary.json").read_text())
    assert list(data) == SUMMARY_KEYS and data["schema"] == "verifier/nightly-summary/v1"
    assert list(data["run"]) == ["id", "started_at", "finished_at", "config", "status", "skipped", "problems"]
    assert list(data["results"][0]) == RESULT_KEYS
    assert list(data["results"][0]["links"]) == ["package_page", "version_page", "report", "diffoscope"]
    assert data["verdicts"] == ["identical", "equivalent", "different", "could-not-verify", "error", "timeout"]
    assert list(data["counts"]) == data["verdicts"]
    assert list(data["files"]) == ["dashboard", "junit", "markdown", "report_name", "diffoscope_name"]
