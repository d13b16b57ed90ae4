"""The worker's record keeps each file of the verified release, as the verify report gives them."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.support import artifact_reports as reports
from verifier.nightly.targets import Target
from verifier.nightly.worker import _record
from verifier.report.model.nightly import NightlyRecord
from verifier.report.model.serialize import from_data, to_json
from verifier.report.model.verdict import Verdict


def test_the_record_has_every_file_with_its_own_verdict(tmp_path: Path) -> None:
    target = Target("demo", "1.0", str(tmp_path), "v1.0")
    record = _record(target, reports.report(), datetime.now(UTC), time.perf_counter(), tmp_path / "report.json", None)
    assert record.verdict is Verdict.DIFFERENT
    assert [(a.filename, a.kind, a.verdict) for a in record.artifacts] == [
        (reports.SDIST, "sdist", Verdict.EQUIVALENT), (reports.PURE, "wheel", Verdict.DIFFERENT),
        (reports.PURE2, "wheel", Verdict.IDENTICAL), (reports.PLATFORM, "wheel", None)]
    sdist, tampered, _, platform = record.artifacts
    assert (sdist.sha256, sdist.rebuilt_sha256, sdist.built_from) == ("a" * 64, "b" * 64, "tag")
    assert tampered.built_from == "rebuilt sdist" and tampered.differences[0].path == "demo/__init__.py"
    assert platform.not_verified and "toolchain" in platform.not_verified and platform.sha256 == "f" * 64
    assert from_data(NightlyRecord, json.loads(to_json(record))) == record  # as the scheduler reads it back


def test_a_report_without_artifacts_makes_a_record_without_them(tmp_path: Path) -> None:
    target = Target("demo", "1.0", str(tmp_path), "v1.0")
    record = _record(target, reports.sdist_only(), datetime.now(UTC), time.perf_counter(), tmp_path / "report.json", None)
    assert record.artifacts == () and record.published_sha256 == "a" * 64


def test_the_run_summary_on_the_terminal_lists_each_file(capsys, tmp_path: Path) -> None:
    from verifier.cli.output import print_outcome
    from verifier.nightly.job import NightlyOutcome

    target = Target("demo", "1.0", str(tmp_path), "v1.0")
    record = json.loads(to_json(_record(target, reports.report(), datetime.now(UTC), time.perf_counter(), tmp_path / "r.json", None)))
    record["artifacts"][1]["regressed"] = record["regressed"] = True
    print_outcome(NightlyOutcome(1, 1, [record], [], [], {}, 1.0), tmp_path)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "  demo 1.0: different REGRESSED"
    assert lines[2:6] == [
        f"    sdist {reports.SDIST}: equivalent",
        f"    wheel {reports.PURE}: different REGRESSED",
        f"    wheel {reports.PURE2}: identical",
        f"    wheel {reports.PLATFORM}: not verified (platform wheel: compiled code needs the publisher's toolchain)",
    ]


def test_why_a_wheel_could_not_be_verified_is_kept(tmp_path: Path) -> None:
    from dataclasses import replace

    from verifier.report.model.verify import Artifact

    unbuilt = Artifact(reports.PURE, "wheel", "c" * 64, None, Verdict.COULD_NOT_VERIFY, error="the sdist was not rebuilt")
    report = replace(reports.report(), verdict=Verdict.COULD_NOT_VERIFY, artifacts=(reports.report().artifacts[0], unbuilt))
    record = _record(Target("demo", "1.0", str(tmp_path), "v1.0"), report, datetime.now(UTC), time.perf_counter(), tmp_path / "r.json", None)
    assert record.artifacts[1].verdict is Verdict.COULD_NOT_VERIFY and record.artifacts[1].not_verified == "the sdist was not rebuilt"
    assert record.artifacts[0].not_verified is None
