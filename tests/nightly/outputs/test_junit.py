from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tests.nightly.outputs.conftest import Written
from tests.nightly.outputs.sample import HOSTILE_PACKAGE, result
from verifier.nightly.outputs import History, write_all


def _cases(root: ET.Element) -> list[ET.Element]:
    return root.findall("./testsuite/testcase")


def test_junit_parses_with_consistent_counts(written: Written) -> None:
    root = ET.fromstring((written.site / "junit.xml").read_bytes())
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = _cases(root)
    failures = [c for c in cases if c.find("failure") is not None]
    errors = [c for c in cases if c.find("error") is not None]
    for element in (root, suites[0]):
        assert element.get("tests") == "9" and element.get("failures") == "2" and element.get("errors") == "3"
        assert element.get("skipped") == "0"
    assert len(cases) == 9 and len(failures) == 2 and len(errors) == 3
    assert not [c for c in cases if c.find("failure") is not None and c.find("error") is not None]
    by_name = {(c.get("classname"), c.get("name")): c for c in cases}
    regression = by_name[("requests", "2.32.4")].find("failure")
    assert regression is not None and regression.get("type") == "regressed"
    assert "requests-2.32.4/src/requests/__version__.py  [content]" in (regression.text or "")
    assert "probable cause (untracked-at-tag)" in (regression.text or "")
    hostile = by_name[(HOSTILE_PACKAGE, "../../x")].find("failure")
    assert hostile is not None and hostile.get("type") == "different"
    assert "../../etc/passwd\\x00<b>bold</b>" in (hostile.text or "")  # the NUL is shown, not written
    assert {by_name[k].find("error").get("type") for k in [("Flask-Login", "0.7.0"), ("zope.interface", "7.0"), ("urllib3", "2.2.2")]} == {
        "could-not-verify", "timeout", "error"
    }
    passing = by_name[("numpy", "2.0.0")]
    assert passing.find("failure") is None and passing.find("error") is None
    out = passing.findtext("system-out") or ""
    assert "mtime (members): changed 212 published / 212 rebuilt, 212 pairs" in out
    assert "normalizations: none (bit-for-bit)" in (by_name[("attrs", "24.1.0")].findtext("system-out") or "")
    assert float(by_name[("attrs", "24.1.0")].get("time")) > 0
    properties = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
    assert (properties["run.id"], properties["run.status"], properties["run.problems"], properties["run.skipped"]) == ("40", "finished", "2", "2")


def test_a_regression_that_could_not_be_verified_is_a_failure(tmp_path: Path) -> None:
    run = {"id": 2, "started_at": "2024-01-02T00:00:00Z", "finished_at": "2024-01-02T01:00:00Z", "config": "c.toml"}
    results = [
        result(tmp_path, 2, "a", "2.0", "could-not-verify", error="build failed", regressed=True),
        result(tmp_path, 2, "b", "1.0", "identical"),
        result(tmp_path, 2, "c", "1.0", "error", error="\x00\x07 bad \udcff bytes"),
    ]
    files = write_all(History.from_dicts(run, results), tmp_path / "site")
    root = ET.fromstring(files["junit.xml"].read_bytes())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    cases = {c.get("classname"): c for c in _cases(root)}
    assert cases["a"].find("failure").get("type") == "regressed" and cases["a"].find("error") is None
    assert "\\x00\\x07 bad \\xff bytes" in cases["c"].find("error").get("message")


def test_an_empty_run_is_an_empty_valid_suite(tmp_path: Path) -> None:
    run = {"id": 3, "started_at": "2024-01-03T00:00:00Z", "finished_at": None, "config": "c.toml"}
    files = write_all(History.from_dicts(run, []), tmp_path / "site")
    root = ET.fromstring(files["junit.xml"].read_bytes())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("0", "0", "0")
