"""`verifier compare` through the real entry point, as a subprocess: exit codes, JSON, one-line errors."""

import gzip
import hashlib
from pathlib import Path

import pytest

from tests.cli.conftest import REBUILT
from tests.support.archives import SAMPLE, Entry, raw_member, raw_tar, sdist


def test_equivalent_exits_0_and_reports_normalizations(cli, pair) -> None:
    result = cli("compare", *pair)
    assert result.code == 0, result.stderr
    assert "EQUIVALENT" in result.stdout
    for name in ("mtime", "owner", "gzip-header"):
        assert name in result.stdout


def test_identical_exits_0(cli, pair) -> None:
    result = cli("compare", pair[0], pair[0])
    assert result.code == 0 and "IDENTICAL" in result.stdout


def test_json_report_to_stdout(cli, pair) -> None:
    result = cli("compare", *pair, "--json", "-")
    assert result.code == 0
    report = result.json()
    assert report["verdict"] == "equivalent"
    assert report["reference"]["sha256"] == hashlib.sha256(pair[0].read_bytes()).hexdigest()
    assert set(report["normalizations"]) == {"mtime", "owner", "gzip-header"}
    assert report["normalizations"]["owner"]["pairs"] == len(SAMPLE)
    assert report["differences"] == []


def test_different_exits_1_naming_the_member(cli, tmp_path: Path, pair) -> None:
    tampered = [Entry(e.name, b"import os; os.system('x')\n" if e.name == "src/pkg/cli.py" else e.data, e.kind, e.mode, e.target) for e in SAMPLE]
    bad = sdist(tmp_path / "tampered.tar.gz", tampered, packing=REBUILT)
    result = cli("compare", pair[0], bad, "--json", tmp_path / "report.json", "--diffoscope-text", tmp_path / "d.txt", "--diffoscope-html", tmp_path / "d.html")
    assert result.code == 1
    assert "pkg-1.0/src/pkg/cli.py" in result.stdout
    report = __import__("json").loads((tmp_path / "report.json").read_text())
    assert report["verdict"] == "different"
    assert [(d["kind"], d["path"]) for d in report["differences"]] == [("size", "pkg-1.0/src/pkg/cli.py")]
    text = (tmp_path / "d.txt").read_text()
    assert "os.system" in text and "README" not in text  # only the differing member
    assert (tmp_path / "d.html").read_text().lower().startswith("<!doctype html")


def test_strict_reports_every_byte(cli, pair) -> None:
    result = cli("compare", *pair, "--strict", "--json", "-")
    assert result.code == 1
    assert {"owner", "mtime", "compression"} <= {d["kind"] for d in result.json()["differences"]}


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage" * 100,
        gzip.compress(b"not a tar at all" * 100),
        gzip.compress(raw_tar(raw_member(b"pkg-1.0/../../evil", b"x")))[:-20],
        gzip.compress(raw_tar(raw_member(b"pkg-1.0/../../evil", b"x"))),
        gzip.compress(raw_tar(raw_member(b"/abs", b"x"))),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, tmp_path: Path, pair, content: bytes) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(content)
    result = cli("compare", pair[0], bad)
    assert result.code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_missing_file_and_usage_errors_exit_2(cli, tmp_path: Path, pair) -> None:
    assert cli("compare", pair[0], tmp_path / "nope.tar.gz").code == 2
    assert cli("compare", pair[0], tmp_path).code == 2
    both = cli("compare", *pair, "--strict", "--normalize", "mtime")
    assert both.code == 2 and "do not go together" in both.stderr
    unknown = cli("compare", *pair, "--normalize", "mtimes")
    assert unknown.code == 2 and "unknown normalization" in unknown.stderr


def test_bad_input_still_writes_the_json_report(cli, tmp_path: Path, pair) -> None:
    import json

    import jsonschema

    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"garbage" * 100)
    result = cli("compare", pair[0], bad, "--json", tmp_path / "report.json")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    report = json.loads((tmp_path / "report.json").read_text())
    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schemas" / "compare-report.v1.json").read_text())
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    assert report["verdict"] == "error" and report["error"] == result.stderr.removeprefix("error: ").strip()
    assert report["candidate"]["sha256"] == hashlib.sha256(bad.read_bytes()).hexdigest()
