"""End to end: a release's sdist and pure wheel on a real local index, rebuilt in podman. The wheel
is rebuilt from the rebuilt sdist (as pip does) and compared; a wheel tampered on the way to the
index comes out `different`, naming the member, while the faithful sdist keeps its own verdict."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import jsonschema
import pytest

from tests.support.projects import PROJECTS, Publisher, git, make_repo, publisher_venv, set_upload_time
from tests.verify.conftest import SCHEMA
from tests.wheel.conftest import rewrite_wheel
from verifier.testing.index_server import LocalIndex

PROJECT = PROJECTS["flit"]  # flit-demo 2.0.0: flit_core stamps every zip entry with SOURCE_DATE_EPOCH
WHEEL = "flit_demo-2.0.0-py3-none-any.whl"
MODULE_PATH = "flit_demo/__init__.py"
TAG_EPOCH = 1793869200  # COMMIT_DATE, the tag's commit time
WHEEL_EPOCH = 1762419600  # 2025-11-06 09:00 UTC: the publisher's SOURCE_DATE_EPOCH for the wheel (not the tag's time)


def build_wheel(publisher: Publisher, sdist: Path, destination: Path, epoch: int = WHEEL_EPOCH) -> Path:
    """The publisher's wheel: built from the unpacked sdist (as `python -m build` does), SOURCE_DATE_EPOCH set."""
    scratch = destination.parent / f"{destination.name}-unpacked"
    shutil.rmtree(scratch, ignore_errors=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(scratch, filter="data")
    (tree,) = scratch.iterdir()
    out = scratch / "dist"
    subprocess.run(
        [str(publisher.python), "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(tree)],
        check=True, capture_output=True, env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": str(epoch)},
    )
    (made,) = out.glob("*.whl")
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(made, destination)
    shutil.rmtree(scratch)
    return destination


def publish(publisher: Publisher, repo: Path, index_dir: Path, wheel_changes: dict[str, bytes] | None = None) -> tuple[Path, Path]:
    """The sdist of the tag and its wheel on the index; `wheel_changes` tamper the wheel, RECORD kept consistent."""
    sdist = publisher.publish(repo, PROJECT.tag, index_dir, PROJECT)
    wheel = build_wheel(publisher, sdist, index_dir / PROJECT.name / WHEEL)
    if wheel_changes:
        tampered = rewrite_wheel(wheel, wheel.with_suffix(".tampered"), wheel_changes)
        tampered.replace(wheel)
    set_upload_time(index_dir, WHEEL)
    return sdist, wheel


@pytest.fixture
def run_verify(cli, tmp_path: Path):
    """`verifier verify --json -` from an empty directory; (exit code, report, stderr). The report
    is valid under the published schema and nothing lands in the current directory."""

    def run(repo: Path, index: LocalIndex, *args: str) -> tuple[int, dict, str]:
        here = tmp_path / "cwd"
        here.mkdir(exist_ok=True)
        result = cli("verify", "--tag", PROJECT.tag, "--repo", repo, "--index-url", index.url, "--json", "-",
                     "--workdir", tmp_path / "work", *args, cwd=here)
        assert "Traceback" not in result.stderr, result.stderr
        assert not any(here.iterdir()), "nothing is written outside the work directory"
        report = json.loads(result.stdout)
        jsonschema.validate(report, SCHEMA, cls=jsonschema.Draft202012Validator)
        return result.code, report, result.stderr

    return run


def artifacts(report: dict) -> dict[str, dict]:
    return {artifact["filename"]: artifact for artifact in report["artifacts"]}


def test_faithful_release_verifies_sdist_and_wheel(publisher: Publisher, index_dir: Path, local_index: LocalIndex, run_verify, tmp_path: Path) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    sdist, _ = publish(publisher, repo, index_dir)
    platform = index_dir / PROJECT.name / "flit_demo-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl"
    platform.write_bytes(b"not fetched: a platform wheel is listed, not verified")
    set_upload_time(index_dir, platform.name)
    code, report, _ = run_verify(repo, local_index)
    assert code == 0, (report["verdict"], report.get("error"), report["artifacts"])
    assert [artifact["kind"] for artifact in report["artifacts"]] == ["sdist", "wheel", "wheel"]
    found = artifacts(report)
    assert found[sdist.name]["verdict"] == report["comparison"]["verdict"]
    wheel = found[WHEEL]
    assert wheel["verdict"] == "identical", wheel
    assert wheel["built_from"] == "rebuilt sdist"
    assert wheel["recipe"]["source_date_epoch"] == {"value": WHEEL_EPOCH, "origin": "wheel", "detail": "the published wheel's zip times"}
    assert wheel["rebuilt_sha256"] == wheel["sha256"]
    assert found[platform.name]["verdict"] is None and "platform wheel" in found[platform.name]["not_verified"]


def test_sdist_only_keeps_the_sdist_verification(publisher: Publisher, index_dir: Path, local_index: LocalIndex, run_verify, tmp_path: Path) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    publish(publisher, repo, index_dir, {MODULE_PATH: b"tampered = True\n"})
    code, report, _ = run_verify(repo, local_index, "--sdist-only")
    assert code == 0 and report["verdict"] in ("identical", "equivalent")
    assert report["artifacts"] == []
    assert "--sdist-only" in report["reproduce"]


@pytest.mark.parametrize(
    ("change", "member", "cause"),
    [
        ({MODULE_PATH: b'"""A module."""\n\n\ndef answer() -> int:\n    return 41\n'}, MODULE_PATH, "module-differs-from-sdist"),
        ({"flit_demo/_extra.py": b"import os\n"}, "flit_demo/_extra.py", "not-in-sdist"),
    ],
    ids=["module-changed", "extra-file"],
)
def test_tampered_wheel_is_different_and_named(
    change: dict[str, bytes], member: str, cause: str, publisher: Publisher, index_dir: Path, local_index: LocalIndex, run_verify, tmp_path: Path
) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    sdist, _ = publish(publisher, repo, index_dir, change)
    code, report, _ = run_verify(repo, local_index)
    assert code == 1 and report["verdict"] == "different"
    found = artifacts(report)
    assert found[sdist.name]["verdict"] in ("identical", "equivalent"), "the faithful sdist keeps its own verdict"
    wheel = found[WHEEL]
    assert wheel["verdict"] == "different"
    assert member in {difference["path"] for difference in wheel["differences"]}
    assert "tar-header" not in {difference["kind"] for difference in wheel["differences"]}, "a zip member has no tar header"
    assert any(e["cause"] == cause and e["path"] == member for e in wheel["explanations"]), wheel["explanations"]
    assert wheel["built_from"] in ("rebuilt sdist", "tagged tree")
    if cause == "not-in-sdist":
        assert any("neither the sdist nor the tagged tree" in e["message"] for e in wheel["explanations"])


def test_wheel_built_from_another_commit_is_different(publisher: Publisher, index_dir: Path, local_index: LocalIndex, run_verify, tmp_path: Path) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    sdist = publisher.publish(repo, PROJECT.tag, index_dir, PROJECT)
    (repo / MODULE_PATH).write_text(PROJECTS["flit"].files[MODULE_PATH] + "\n\ndef later() -> None:\n    pass\n")
    git(repo, "commit", "-qam", "after the release")
    later_dir = tmp_path / "later-index"
    later_sdist = publisher.publish(repo, "HEAD", later_dir, PROJECT)
    build_wheel(publisher, later_sdist, index_dir / PROJECT.name / WHEEL)
    set_upload_time(index_dir, WHEEL)
    code, report, _ = run_verify(repo, local_index)
    assert code == 1
    found = artifacts(report)
    assert found[sdist.name]["verdict"] in ("identical", "equivalent")
    assert found[WHEEL]["verdict"] == "different"
    assert MODULE_PATH in {difference["path"] for difference in found[WHEEL]["differences"]}


def test_search_pins_the_backend_the_wheel_names(publisher: Publisher, index_dir: Path, local_index: LocalIndex, run_verify, tmp_path: Path) -> None:
    """The wheel was made by an older flit_core than the one pinned as of the upload: the two first
    builds differ (WHEEL's Generator), --search pins the version the Generator names."""
    older = publisher_venv(tmp_path / "older-flit", ["flit_core==3.9.0"])
    repo = make_repo(PROJECT, tmp_path / "repo")
    # The sdist made with the tag's time, identical at the first build: --search spends nothing on it.
    sdist = publisher.publish(repo, PROJECT.tag, index_dir, PROJECT, env={"SOURCE_DATE_EPOCH": str(TAG_EPOCH)})
    build_wheel(older, sdist, index_dir / PROJECT.name / WHEEL)
    set_upload_time(index_dir, WHEEL)
    code, report, _ = run_verify(repo, local_index, "--search", "--max-builds", "3")
    assert len(report["attempts"]) == 1 and report["comparison"]["verdict"] == "identical"
    wheel = artifacts(report)[WHEEL]
    assert code == 0 and wheel["verdict"] == "identical", (wheel["differences"], wheel["explanations"], wheel["recipe"], report["notes"])
    assert "flit_core==3.9.0" in wheel["recipe"]["why"]
    assert any(note.startswith(f"{WHEEL}: identical, 3 build(s)") for note in report["notes"]), report["notes"]
    assert "--search --max-builds 3" in report["reproduce"]


def _lying_zip_bomb(path: Path) -> None:
    """A wheel whose module inflates to far more than the size its headers declare."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("flit_demo/__init__.py", b"\0" * (32 << 20))
        out.writestr("flit_demo-2.0.0.dist-info/WHEEL", b"Wheel-Version: 1.0\n")
        out.writestr("flit_demo-2.0.0.dist-info/RECORD", b"")
    data = bytearray(path.read_bytes())
    declared = (32 << 20).to_bytes(4, "little")
    for offset in range(len(data) - 4):  # the local header's and the central directory's size fields
        if data[offset:offset + 4] == declared:
            data[offset:offset + 4] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_bad_wheels_are_different_never_a_traceback(publisher: Publisher, index_dir: Path, local_index: LocalIndex, run_verify, tmp_path: Path) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    sdist = publisher.publish(repo, PROJECT.tag, index_dir, PROJECT)
    folder = index_dir / PROJECT.name
    (folder / WHEEL).write_bytes(b"PK\x03\x04 this is not a zip archive")
    build_wheel(publisher, sdist, folder / "other_name-2.0.0-py2.py3-none-any.whl")
    _lying_zip_bomb(folder / "flit_demo-2.0.0-py2-none-any.whl")
    for wheel in folder.glob("*.whl"):
        set_upload_time(index_dir, wheel.name)
    code, report, stderr = run_verify(repo, local_index)
    assert code == 1 and report["verdict"] == "different", (report["verdict"], report.get("error"), stderr[-2000:])
    found = artifacts(report)
    assert found[sdist.name]["verdict"] in ("identical", "equivalent")
    for name, words in ((WHEEL, "not a readable wheel"), ("other_name-2.0.0-py2.py3-none-any.whl", "not the release"),
                        ("flit_demo-2.0.0-py2-none-any.whl", "not a readable wheel")):
        assert found[name]["verdict"] == "different", found[name]
        (explanation,) = found[name]["explanations"]
        assert explanation["cause"] == "not-a-faithful-wheel" and words in explanation["message"], explanation
        assert "\n" not in explanation["message"]
