"""The comparison report model: the JSON keeps its keys, order and values; stored JSON reads back."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.archives import SAMPLE, Packing, sdist
from verifier.archive.interface import Limits
from verifier.compare.run import run_compare
from verifier.normalize.registry import select
from verifier.report.model.compare import CompareReport, DifferenceReport
from verifier.report.model.serialize import from_data, to_data, to_json
from verifier.report.model.verdict import Verdict

TOP_KEYS = [
    "schema", "kind", "verdict", "reference", "candidate", "normalizations", "differences",
    "differences_not_listed", "warnings", "gzip", "diffoscope", "timings",
]
ARTIFACT_KEYS = ["path", "sha256", "size", "format", "members", "top_level", "payload_sha256", "gzip_headers", "warnings"]
GZIP_KEYS = [
    "reference_headers", "candidate_headers", "header_fields_differing", "decompressed_streams_equal",
    "recompression_reproduces_reference", "compressor", "level", "tried", "note",
]


def _different(tmp_path: Path) -> CompareReport:
    a = sdist(tmp_path / "a.tar.gz", SAMPLE)
    c = sdist(tmp_path / "c.tar.gz", SAMPLE[:-1], packing=Packing(mtime=5))
    return run_compare(a, c, select(["mtime", "owner", "gzip-header"]), Limits()).report()


def test_keys_order_and_values_are_the_ones_written_before(tmp_path: Path) -> None:
    report = _different(tmp_path)
    data = json.loads(to_json(report))
    assert list(data) == TOP_KEYS
    assert data["schema"] == "verifier/compare-report/v1" and data["kind"] == "compare" and data["verdict"] == "different"
    assert list(data["reference"]) == ARTIFACT_KEYS and list(data["candidate"]) == ARTIFACT_KEYS
    assert list(data["normalizations"]) == ["mtime", "owner", "gzip-header"]
    assert list(data["normalizations"]["mtime"]) == ["summary", "scope", "reference", "candidate", "pairs"]
    assert list(data["gzip"]) == GZIP_KEYS
    only = data["differences"][0]
    # An optional side is left out, never written as null.
    assert list(only) == ["path", "kind", "message", "reference"] and only["kind"] == "only-in-reference"


def test_stored_json_reads_back_into_the_same_model(tmp_path: Path) -> None:
    report = _different(tmp_path)
    again = from_data(CompareReport, json.loads(to_json(report)))
    assert again == report and again.verdict is Verdict.DIFFERENT and not again.reproducible


def test_a_difference_without_sides() -> None:
    assert to_data(DifferenceReport("p", "content", "p: differs")) == {"path": "p", "kind": "content", "message": "p: differs"}
