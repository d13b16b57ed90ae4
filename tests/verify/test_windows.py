"""Issue 14: a release built on Windows reproduced by emulating the Windows release machine in the
Linux build container (`--windows`), end to end in podman with a local index. The published sdist is
made in the test with tarfile as a Windows build writes it (tests/support/windows_tar.py); the
default recipe leaves it `different`, `--search` reproduces it with the emulation, and a tampered
copy stays `different` under every recipe tried."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from tests.support.projects import Project, make_repo, set_upload_time, tamper
from tests.support.windows_tar import as_windows_wrote_it

pytestmark = pytest.mark.podman

WIN_PROJECT = Project(
    "setuptools",
    "win-demo",
    "win_demo",
    "v1.0.0",
    "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n',
        "setup.cfg": "[metadata]\nname = win-demo\nversion = 1.0.0\ndescription = built on Windows\n\n"
        "[options]\npackages = win_demo\n",
        "MANIFEST.in": "include docs/make.bat\n",
        "docs/make.bat": "@ECHO OFF\r\nsphinx-build -M %1 . _build\r\n",  # a batch file is CRLF in git too
        "win_demo/__init__.py": '"""A module."""\n\n\ndef answer() -> int:\n    return 42\n',
    },
    ("setuptools>=64",),
)


def _members(sdist: Path) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(sdist) as archive:
        return {info.name.split("/", 1)[1] if "/" in info.name else "": info for info in archive.getmembers()}


@pytest.fixture
def windows_release(publisher, index_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    repo = make_repo(WIN_PROJECT, tmp_path / "repo")
    published = as_windows_wrote_it(publisher.publish(repo, WIN_PROJECT.tag, index_dir, WIN_PROJECT))
    set_upload_time(index_dir, published.name)
    members = _members(published)
    assert members["docs/make.bat"].mode == 0o777 and members["win_demo/__init__.py"].mode == 0o666
    return repo, published


def test_a_release_built_on_windows_is_reproduced_by_emulating_the_windows_machine(windows_release, local_index, verify, tmp_path: Path) -> None:
    repo, _ = windows_release
    plain, plain_report = verify(repo, WIN_PROJECT.version, local_index)
    assert plain.code == 1
    named = next(e for e in plain_report["explanations"] if e["cause"] == "built-on-windows")
    assert "--windows lf-checkout" in named["message"] and "no Windows release machine was emulated" in named["message"]
    attestation = tmp_path / "attestation.json"
    result, report = verify(repo, WIN_PROJECT.version, local_index, "--search", "--max-builds", "3", "--attestation", attestation)
    assert result.code == 0, [(a["why"], a["verdict"], a["differences"]) for a in report["attempts"]]
    assert report["verdict"] in ("identical", "equivalent") and len(report["attempts"]) <= 3
    assert report["attempts"][0]["windows"] is None and report["attempts"][0]["verdict"] == "different"
    assert report["recipe"]["windows"] == "lf-checkout"
    assert "--windows lf-checkout" in report["reproduce"] and "mode" not in report["reproduce"].split("--normalize")[-1]
    assert not any(e["cause"] == "built-on-windows" for e in report["explanations"])
    assert any("Windows release machine" in note and "world-writable" in note for note in report["notes"])
    environment = report["builder"]["environment"]
    assert environment["umask"] == "0000" and environment["windows"]["emulated"] == "lf-checkout"
    assert environment["windows_text"]["line_end"] == "\r\n" and environment["windows_text"]["active"]
    assert any("emulated a Windows release machine (lf-checkout)" in note for note in report["builder"]["notes"])
    predicate = json.loads(attestation.read_text())["predicate"]
    assert predicate["recipe"]["windows"] == "lf-checkout" and predicate["builder"]["windows"]["emulated"] == "lf-checkout"


def test_a_tampered_release_built_on_windows_stays_different_under_every_recipe(windows_release, index_dir: Path, local_index, verify) -> None:
    repo, published = windows_release
    tamper(published, "win_demo/__init__.py", b'"""A module."""\n\n\ndef answer() -> int:\n    return 43\n')
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, WIN_PROJECT.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 1
    assert all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert "lf-checkout" in {attempt["windows"] for attempt in report["attempts"]}  # emulated, and it did not hide it
    assert any(d["path"].endswith("win_demo/__init__.py") for d in report["comparison"]["differences"])
    named = next(e for e in report["explanations"] if e["cause"] == "built-on-windows")
    assert "emulating a Windows release machine (--windows lf-checkout) it still differs" in named["message"]
    assert "win_demo/__init__.py" in named["message"] and "no Linux recipe" not in named["message"]


GITATTRIBUTES_PROJECT = Project(
    "setuptools",
    "crlf-demo",
    "crlf_demo",
    "v2.0.0",
    "2.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n',
        "setup.cfg": "[metadata]\nname = crlf-demo\nversion = 2.0.0\n\n[options]\npackages = crlf_demo\ninclude_package_data = true\n",
        "MANIFEST.in": "include data/*.txt .gitattributes\n",
        ".gitattributes": "data/raw.txt -text\n",  # git converts no line ends of this one
        "data/notes.txt": "converted\nby autocrlf\n",
        "data/raw.txt": "kept\nas committed\n",
        "crlf_demo/__init__.py": '"""A module."""\n\nVALUE = 1\n',
    },
    ("setuptools>=64",),
)


def test_a_release_from_a_git_autocrlf_checkout_on_windows_is_reproduced_with_that_checkout(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = GITATTRIBUTES_PROJECT
    repo = make_repo(project, tmp_path / "repo")
    converted = tuple(name for name in project.files if name != "data/raw.txt")  # .gitattributes too
    published = as_windows_wrote_it(publisher.publish(repo, project.tag, index_dir, project), crlf_checkout=converted)
    set_upload_time(index_dir, published.name)
    with tarfile.open(published) as archive:
        assert b"\r\n" in archive.extractfile("crlf_demo-2.0.0/data/notes.txt").read()  # type: ignore[union-attr]
        assert b"\r\n" not in archive.extractfile("crlf_demo-2.0.0/data/raw.txt").read()  # type: ignore[union-attr]
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 0, [(a["why"], a["verdict"], a["differences"]) for a in report["attempts"]]
    assert report["recipe"]["windows"] == "crlf-checkout" and "--windows crlf-checkout" in report["reproduce"]
    second = report["attempts"][1]  # the first the search tried
    assert second["windows"] == "crlf-checkout" and second["verdict"] in ("identical", "equivalent") and "core.autocrlf=true" in second["why"]
    assert "crlf_demo/__init__.py" in second["why"] and "data/raw.txt" not in second["why"]
    assert report["builder"]["environment"]["windows"]["checkout"].startswith("git's core.autocrlf=true checkout of the tag")
