"""The Markdown report and `verifier show` list every file of the release with its own verdict."""

import json
import re
from pathlib import Path

from tests.support import artifact_reports as reports
from verifier.report.markdown import render_verify
from verifier.report.model.serialize import to_data


def test_markdown_has_a_row_per_file_and_each_wheels_findings() -> None:
    text = render_verify(reports.report())
    rows = {line.split(" | ")[0].lstrip("| ").replace("\\", ""): line for line in text.splitlines()
            if (line.startswith("| demo") and " | wheel | " in line) or " | sdist | " in line}
    assert set(rows) == {reports.SDIST, reports.PURE, reports.PURE2, reports.PLATFORM}
    assert "| equivalent | tag | aaaaaaaaaaaa |" in rows[reports.SDIST]
    assert "| different | rebuilt sdist | cccccccccccc |" in rows[reports.PURE]
    assert "| identical | tagged tree |" in rows[reports.PURE2]
    assert "| not verified | platform wheel: compiled code needs the publisher's toolchain |" in rows[reports.PLATFORM]
    assert "4 files: 3 verified (1 equivalent, 1 different, 1 identical), 1 not verified" in text
    tampered = text.split(f"**{reports.PURE.replace('_', chr(92) + '_')}**")[1]
    assert "Differences (3)" in tampered and "demo/\\_\\_init\\_\\_.py" in tampered
    assert "`wheel-module-not-in-sdist`" in tampered
    assert "**Normalized (sdist)**" not in text  # this report has no comparison section: the sdist's row says it


def test_markdown_of_a_report_without_artifacts_is_as_before() -> None:
    text = render_verify(reports.sdist_only())
    assert "Files of the release" not in text and "(sdist)" not in text
    assert "| published | demo-1.0.tar.gz sha256 " + "a" * 64 + " |" in text


def test_markdown_escapes_an_artifacts_untrusted_names() -> None:
    from dataclasses import replace

    report = reports.report()
    evil = replace(report.artifacts[1], filename="<img src=x>|evil.whl", not_verified=None)
    text = render_verify(replace(report, artifacts=(report.artifacts[0], evil)))
    assert not re.search(r"(?<!\\)<img", text) and "\\<img src=x\\>\\|evil.whl" in text


def test_show_lists_every_artifact_of_a_stored_report(cli, tmp_path: Path) -> None:
    stored = tmp_path / "report.json"
    stored.write_text(json.dumps(to_data(reports.report())))
    shown = cli("show", stored)
    assert shown.code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("artifacts: 4 files: 3 verified"))
    listed = lines[start + 1:]
    assert listed[0].split()[:3] == ["equivalent", "sdist", reports.SDIST]
    assert "rebuilt from the tag as bbbbbbbbbbbb" in listed[0] and "normalized: tar-mtime" in listed[1]
    wheel = next(i for i, line in enumerate(listed) if reports.PURE in line)
    assert listed[wheel].split()[0] == "different"
    assert "differs: demo/__init__.py: contents differ" in listed[wheel + 1]
    assert "... and 2 more differences" in listed[wheel + 2]
    assert "[wheel-module-not-in-sdist]" in listed[wheel + 3]
    assert any(reports.PLATFORM in line and line.split()[:2] == ["not", "verified"] and "publisher's toolchain" in line for line in listed)


def test_show_of_an_old_report_has_no_artifacts_section(cli, tmp_path: Path) -> None:
    stored = tmp_path / "report.json"
    data = to_data(reports.sdist_only())
    del data["artifacts"]  # written before the key existed
    stored.write_text(json.dumps(data))
    shown = cli("show", stored)
    assert shown.code == 0, shown.stderr
    assert "artifacts:" not in shown.stdout and shown.stdout.startswith("demo 1.0: NOT REPRODUCIBLE")
