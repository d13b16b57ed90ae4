"""The audit report model: the JSON keeps its keys, order and values; `{}` for parts not reached."""

from __future__ import annotations

import json

from verifier.report.model.audit import (
    AuditReport,
    AuditSource,
    CommitMatch,
    Empty,
    FileFinding,
    FileStatus,
    IndexSdist,
    LocalSdist,
    count_statuses,
)
from verifier.report.model.serialize import from_data, to_data, to_json
from verifier.report.model.verdict import Verdict

TOP_KEYS = [
    "schema", "kind", "verdict", "package", "version", "source", "published", "counts", "files", "omitted",
    "notes", "timings", "reproduce", "error", "commit_match", "tool_version", "wheels",
]
FILES = (
    FileFinding("pkg-1.0/PKG-INFO", FileStatus.GENERATED, "Name and Version match", generator="build backend (metadata)"),
    FileFinding("pkg-1.0/a.py", FileStatus.FROM_SOURCE, "", "a.py"),
    FileFinding("pkg-1.0/evil.py", FileStatus.NOT_FROM_SOURCE, "not tracked at the tag"),
)


def _report() -> AuditReport:
    return AuditReport(
        verdict=Verdict.NOT_FROM_SOURCE,
        package="pkg",
        version="1.0",
        source=AuditSource(repo="/r", tag="v1.0", commit="c" * 40, subdir=""),
        published=IndexSdist(url="https://i/pkg-1.0.tar.gz", filename="pkg-1.0.tar.gz", sha256="ab" * 32, upload_time=None, path="/c/x"),
        counts=count_statuses(FILES),
        files=FILES,
        omitted=("tests/test_a.py",),
        timings={"total": 0.5},
        reproduce="verifier audit --tag v1.0 --repo /r",
        commit_match=CommitMatch(
            commit="d" * 40, distance=-2, summary="fix", matched=3, total=3, tag_matched=2, exact=True,
            files_differing_from_tag=("a.py",), files_matching_only_there=("a.py",), files_differing_there=(),
            searched=5, complete=True,
        ),
        tool_version="0.1.0",
    )


def test_keys_order_and_values_are_the_ones_written_before() -> None:
    data = json.loads(to_json(_report()))
    assert list(data) == TOP_KEYS
    assert (data["schema"], data["kind"], data["verdict"]) == ("verifier/audit-report/v1", "audit", "not-from-source")
    assert list(data["published"]) == ["url", "filename", "sha256", "upload_time", "path"]
    assert data["counts"] == {"generated": 1, "from-source": 1, "not-from-source": 1}
    assert data["files"] == [
        {"path": "pkg-1.0/PKG-INFO", "status": "generated", "note": "Name and Version match", "generator": "build backend (metadata)"},
        {"path": "pkg-1.0/a.py", "status": "from-source", "note": "", "source_path": "a.py"},
        {"path": "pkg-1.0/evil.py", "status": "not-from-source", "note": "not tracked at the tag"},
    ]
    assert list(data["commit_match"]) == [
        "commit", "distance", "summary", "matched", "total", "tag_matched", "exact", "files_differing_from_tag",
        "files_matching_only_there", "files_differing_there", "searched", "complete",
    ]


def test_parts_not_reached_stay_empty_objects() -> None:
    stopped = AuditReport(verdict=Verdict.ERROR, error="no tag matches", reproduce="verifier audit")
    data = to_data(stopped)
    assert data["source"] == {} and data["published"] == {} and data["counts"] == {} and data["commit_match"] is None
    assert from_data(AuditReport, data) == stopped


def test_stored_json_reads_back_into_the_same_model() -> None:
    report = _report()
    assert from_data(AuditReport, json.loads(to_json(report))) == report
    local = AuditReport(verdict=Verdict.FROM_SOURCE, published=LocalSdist(path="/x.tar.gz", sha256="ab" * 32))
    assert list(to_data(local)["published"]) == ["path", "sha256", "url"]
    assert from_data(AuditReport, to_data(local)) == local
    assert isinstance(from_data(AuditReport, to_data(AuditReport(verdict=Verdict.ERROR))).published, Empty)


def test_statuses_know_what_they_flag() -> None:
    assert {s for s in FileStatus if s.flagged} == {FileStatus.NOT_FROM_SOURCE, FileStatus.INCONSISTENT}
    assert {s for s in FileStatus if s.generated} == {FileStatus.GENERATED, FileStatus.GENERATED_UNCHECKED}
