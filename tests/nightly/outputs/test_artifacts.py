"""Every nightly output shows each file of a release (sdist, wheels): junit.xml has a case per file,
summary.md a Files column and the regressed file, the dashboard a marker on the overview and a table
on the release page (drawn by a real headless Chromium). Results stored without files keep their shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.nightly.outputs.browser import Elements, decode_png, dump_dom, has_colour, screenshot
from tests.nightly.outputs.sample import result
from verifier.nightly.outputs import History, write_all

HOSTILE_WHEEL = "demo-1.1-<b>x</b>-none-any.whl"
RUN = {"id": 2, "started_at": "2024-03-02T02:00:00Z", "finished_at": "2024-03-02T03:00:00Z", "config": "c.toml", "status": "finished"}


def _files(version: str, wheel: str, *, regressed: bool = False) -> list[dict[str, Any]]:
    tampered = wheel == "different"
    return [
        {"filename": f"demo-{version}.tar.gz", "kind": "sdist", "verdict": "equivalent", "sha256": "a" * 64,
         "rebuilt_sha256": "b" * 64, "built_from": "tag"},
        {"filename": f"demo-{version}-py3-none-any.whl", "kind": "wheel", "verdict": wheel, "sha256": "c" * 64,
         "rebuilt_sha256": "d" * 64 if tampered else "c" * 64, "built_from": "rebuilt sdist", "regressed": regressed,
         "differences": [{"path": "demo/__init__.py", "kind": "content", "message": "first differing byte at 3"}] if tampered else []},
        {"filename": f"demo-{version}-cp312-cp312-manylinux_2_17_x86_64.whl", "kind": "wheel", "verdict": None,
         "sha256": "e" * 64, "not_verified": "platform wheel: compiled code needs the publisher's toolchain"},
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("nightly-files")
    before = {**result(work, 1, "demo", "1.1", "equivalent"), "artifacts": _files("1.1", "identical")}
    now = {**result(work, 2, "demo", "1.1", "different", regressed=True), "artifacts": _files("1.1", "different", regressed=True)}
    hostile = {**result(work, 2, "other", "2.0", "identical"),
               "artifacts": [{"filename": HOSTILE_WHEEL, "kind": "wheel", "verdict": "identical", "sha256": "f" * 64}]}
    plain = result(work, 2, "plain", "1.0", "identical")  # stored before wheels were verified
    history = History.from_dicts(RUN, [now, hostile, plain], [before])
    write_all(history, work / "site")
    return work / "site"


def test_junit_has_a_case_per_file(site: Path) -> None:
    root = ET.fromstring((site / "junit.xml").read_bytes())
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("5", "1", "0", "1")
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert set(cases) == {("demo", "1.1 demo-1.1.tar.gz"), ("demo", "1.1 demo-1.1-py3-none-any.whl"),
                          ("demo", "1.1 demo-1.1-cp312-cp312-manylinux_2_17_x86_64.whl"), ("other", f"2.0 {HOSTILE_WHEEL}"),
                          ("plain", "1.0")}
    failure = cases[("demo", "1.1 demo-1.1-py3-none-any.whl")].find("failure")
    assert failure is not None and failure.get("type") == "regressed" and "demo/__init__.py" in (failure.get("message") or "")
    assert "rebuilt sha256: " + "d" * 64 + " (from the rebuilt sdist)" in (failure.text or "")
    sdist = cases[("demo", "1.1 demo-1.1.tar.gz")]
    assert sdist.find("failure") is None and "mtime (members)" in (sdist.findtext("system-out") or "")
    skipped = cases[("demo", "1.1 demo-1.1-cp312-cp312-manylinux_2_17_x86_64.whl")].find("skipped")
    assert skipped is not None and "publisher's toolchain" in (skipped.get("message") or "")


def test_summary_md_has_each_file_and_names_the_regressed_one(site: Path) -> None:
    text = (site / "summary.md").read_text()
    assert "| Package | Version | Verdict | Differences | Files |" in text
    row = next(line for line in text.splitlines() if line.startswith("| [`demo`]"))
    assert "| 🔻 **regressed** · ❌ different | 1 | ☑️ `sdist` · 🔻❌ `py3-none-any` · ⚪ `cp312-cp312-manylinux_2_17_x86_64` |" in row
    assert next(line for line in text.splitlines() if line.startswith("| [`plain`]")).endswith("| — |")
    regression = next(line for line in text.splitlines() if line.startswith("- [`demo` `1.1`]"))
    assert "(`demo-1.1-py3-none-any.whl`)" in regression


def test_the_release_page_lists_every_file_and_the_overview_marks_them(site: Path) -> None:
    page = (site / "packages" / "demo" / "1.1.html").read_text()
    rows = Elements.of(page)
    files = {a["data-file"]: a for tag, a in rows.elements if tag == "tr" and a.get("data-file")}
    assert {name: a["data-verdict"] for name, a in files.items()} == {
        "demo-1.1.tar.gz": "equivalent", "demo-1.1-py3-none-any.whl": "different",
        "demo-1.1-cp312-cp312-manylinux_2_17_x86_64.whl": "not-verified"}
    assert files["demo-1.1-py3-none-any.whl"].get("class") == "regressed"
    assert "compiled code needs the publisher" in page and "Files of the release" in page
    index = Elements.of((site / "index.html").read_text())
    markers = [(a["data-file"], a["data-verdict"]) for a in index.with_class("fsq")]
    assert ("demo-1.1-py3-none-any.whl", "different") in markers and (HOSTILE_WHEEL, "identical") in markers
    assert not [a for a in index.with_class("fsq") if a.get("data-file") and "plain" in a["data-file"]]
    other = (site / "packages" / "other" / "2.0.html").read_text()
    assert "<b>x</b>" not in other and "&lt;b&gt;x&lt;/b&gt;" in other


def test_the_release_page_draws_each_files_verdict(site: Path, tmp_path: Path) -> None:
    page = site / "packages" / "demo" / "1.1.html"
    png = tmp_path / "files.png"
    screenshot(page, png, tmp_path / "profile", height=1300)
    image = decode_png(png.read_bytes())
    assert has_colour(image, (0xCF, 0x22, 0x2E)) and has_colour(image, (0x0E, 0x7C, 0x6B))  # different, equivalent
    dom = Elements.of(dump_dom(page, tmp_path / "profile"))
    badges = [b["data-verdict"] for b in dom.with_class("badge")]
    assert badges.count("not-verified") == 1 and "different" in badges and "equivalent" in badges
    assert "Files of the release" in " ".join(dom.text)


def test_a_release_none_of_whose_files_was_verified_is_one_error_case(tmp_path: Path) -> None:
    files = [{"filename": "x-1.0.tar.gz", "kind": "sdist", "verdict": None, "not_verified": "the build failed"},
             {"filename": "x-1.0-py3-none-any.whl", "kind": "wheel", "verdict": None, "not_verified": "the build failed"}]
    failed = {**result(tmp_path, 2, "x", "1.0", "could-not-verify", error="the build failed"), "artifacts": files}
    write_all(History.from_dicts(RUN, [failed]), tmp_path / "site")
    root = ET.fromstring((tmp_path / "site" / "junit.xml").read_bytes())
    (case,) = root.iter("testcase")
    assert case.get("name") == "1.0" and case.find("error").get("type") == "could-not-verify"
    assert (root.get("tests"), root.get("errors"), root.get("skipped")) == ("1", "1", "0")


def test_a_malformed_file_entry_is_named(tmp_path: Path) -> None:
    bad = {**result(tmp_path, 2, "x", "1.0", "identical"), "artifacts": [{"filename": "x.whl", "kind": "wheel", "verdict": "great"}]}
    with pytest.raises(ValueError, match=r"artifact 'x\.whl': unknown verdict 'great'"):
        History.from_dicts(RUN, [bad])
    with pytest.raises(ValueError, match="an artifact must be a mapping with a filename"):
        History.from_dicts(RUN, [{**bad, "artifacts": ["x.whl"]}])


def test_a_wheel_that_could_not_be_verified_is_an_error_case_with_its_reason(tmp_path: Path) -> None:
    files = [{"filename": "x-1.0.tar.gz", "kind": "sdist", "verdict": "identical"},
             {"filename": "x-1.0-py3-none-any.whl", "kind": "wheel", "verdict": "could-not-verify",
              "not_verified": "the wheel's build requirements could not be pinned"}]
    unverified = {**result(tmp_path, 2, "x", "1.0", "could-not-verify"), "artifacts": files}
    write_all(History.from_dicts(RUN, [unverified]), tmp_path / "site")
    root = ET.fromstring((tmp_path / "site" / "junit.xml").read_bytes())
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["1.0 x-1.0.tar.gz"].find("error") is None
    error = cases["1.0 x-1.0-py3-none-any.whl"].find("error")
    assert error is not None and error.get("message") == "could-not-verify: the wheel's build requirements could not be pinned"
    page = (tmp_path / "site" / "packages" / "x" / "1.0.html").read_text()
    assert "build requirements could not be pinned" in page
