"""End to end: a release built with an older setuptools than the one resolved as of its upload time.
Its PKG-INFO dates the backend (Metadata-Version 1.2, a `Description:` header, `Platform: UNKNOWN`:
setuptools < 56.2.0); `--search` pins the newest setuptools within those bounds and the rebuild
matches, while a tampered copy stays `different` under every recipe tried."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.projects import Project, Publisher, make_repo, publisher_venv, set_upload_time, tamper
from verifier.testing.index_server import LocalIndex

OLD_SETUPTOOLS = "56.1.0"  # the newest setuptools before 56.2.0, which writes Metadata-Version 2.1
SETUP_PY = """\
from setuptools import setup

setup(
    name="dated-demo",
    version="1.0.0",
    description="built with an older setuptools",
    long_description="A demo whose PKG-INFO dates its backend.\\n",
    url="https://example.org/dated-demo",
    project_urls={"Source": "https://example.org/dated-demo"},
    py_modules=["dated_demo"],
)
"""
PROJECT = Project(
    "setuptools",
    "dated-demo",
    "dated_demo",
    "v1.0.0",
    "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=40.8.0"]\nbuild-backend = "setuptools.build_meta"\n',
        "setup.py": SETUP_PY,
        "dated_demo.py": '"""A module."""\n\n\ndef answer() -> int:\n    return 42\n',
    },
    ("setuptools>=40.8.0",),
)


@pytest.fixture(scope="module")
def old_publisher(tmp_path_factory: pytest.TempPathFactory) -> Publisher:
    return publisher_venv(tmp_path_factory.mktemp("publisher-old") / "venv", [f"setuptools=={OLD_SETUPTOOLS}"])


def test_search_pins_the_setuptools_the_pkg_info_dates(old_publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    old_publisher.publish(repo, PROJECT.tag, index_dir, PROJECT)
    result, report = verify(repo, PROJECT.version, local_index, "--search", "--max-builds", "4", "--sdist-only")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["attempts"][0]["verdict"] == "different"
    pinned = [number for number, attempt in enumerate(report["attempts"]) if attempt["pins"]]
    assert pinned[0] == 1 or any("could not build" in note for note in report["notes"]), report["notes"]  # the first candidate
    assert report["recipe"]["pins"] == [f"setuptools=={OLD_SETUPTOOLS}"]
    assert f"--pin setuptools=={OLD_SETUPTOOLS}" in report["reproduce"]
    assert {"description-header", "platform-unknown"} <= {f["value"] for f in report["fingerprints"] if f["name"] == "pkg_info_marker"}
    note = next(note for note in report["notes"] if note.startswith("backend version:"))
    assert "Metadata-Version: 1.2" in note and "<56.2.0" in note and "changelog #2641" in note
    assert "--normalize mtime,owner,gzip-header " in report["reproduce"]  # the recipe changed no normalization


def test_a_tampered_release_stays_different_with_the_dated_backend(old_publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    published = old_publisher.publish(repo, PROJECT.tag, index_dir, PROJECT)
    tamper(published, "dated_demo.py", b"def answer() -> int:\n    return 43\n")
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, PROJECT.version, local_index, "--search", "--max-builds", "4", "--sdist-only")
    assert result.code == 1
    assert "--normalize mtime,owner,gzip-header " in report["reproduce"]
    assert len(report["attempts"]) >= 2 and all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert any(f"setuptools=={OLD_SETUPTOOLS}" in attempt["pins"] for attempt in report["attempts"][1:])
    assert any(d["path"].endswith("dated_demo.py") for d in report["comparison"]["differences"])
