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

    def listed(filename: str) -> str:
        """The one line that gives the file's verdict (whoever renders it)."""
        (line,) = [line for line in lines if filename in line and line.split()[0] in (
            "identical", "equivalent", "different", "not", "could-not-verify")]
        return line

    assert listed(reports.SDIST).split()[0] == "equivalent"
    assert listed(reports.PURE).split()[0] == "different" and "rebuilt sdist" in listed(reports.PURE)
    assert listed(reports.PURE2).split()[0] == "identical" and "tagged tree" in listed(reports.PURE2)
    assert listed(reports.PLATFORM).startswith("  not verified") and "publisher's toolchain" in listed(reports.PLATFORM)
    assert [line for line in lines if "differs: demo/__init__.py" in line]
    assert [line for line in lines if "wheel-module-not-in-sdist" in line]


def test_show_lists_the_files_once_as_the_text_report_does(cli, tmp_path: Path) -> None:
    from verifier.report.show import READERS
    from verifier.report.verify_text import VerifyTextFormat

    report = reports.report()
    text = VerifyTextFormat().render(report)
    shown = READERS["verify"].format().render(to_data(report))
    assert all(a.filename in text for a in report.artifacts)  # the text report lists each file itself
    assert shown == text
    assert shown.count(reports.PURE) == 1


def test_show_of_an_old_report_has_no_artifacts_section(cli, tmp_path: Path) -> None:
    stored = tmp_path / "report.json"
    data = to_data(reports.sdist_only())
    del data["artifacts"]  # written before the key existed
    stored.write_text(json.dumps(data))
    shown = cli("show", stored)
    assert shown.code == 0, shown.stderr
    assert "artifacts:" not in shown.stdout and shown.stdout.startswith("demo 1.0: NOT REPRODUCIBLE")
