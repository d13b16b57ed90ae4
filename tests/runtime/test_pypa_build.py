"""The pypa-build recipe end to end: a tiny flit_core project, built offline in the sandbox."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from verifier.hostenv import host_ca_bundle
from verifier.runtime.interface import ContainerRuntime, Mount, RunResult, RunSpec

from .conftest import readable_by_all, writable_by_builder

SOURCE_DATE_EPOCH = "1700000000"
FLIT_CORE = "flit_core==3.9.0"
PYPROJECT = """\
[build-system]
requires = ["flit_core>=3.2,<4"]
build-backend = "flit_core.buildapi"

[project]
name = "tiny"
version = "0.1.0"
description = "A tiny project to build"
"""


def _git(repo: Path, *args: str) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)


def make_repository(root: Path, subdir: str = "", with_module: bool = True) -> Path:
    """A git repository holding the tiny project at `subdir` (without its module: a broken one)."""
    project = root / subdir if subdir else root
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT)
    if with_module:
        (project / "tiny").mkdir()
        (project / "tiny" / "__init__.py").write_text('"""Tiny."""\n')
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "tiny")
    return readable_by_all(root)


@pytest.fixture(scope="session")
def flit_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """flit_core's wheel from PyPI and a requirements.txt pinning it by hash."""
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    ca_bundle = host_ca_bundle()
    if ca_bundle is not None:
        env["PIP_CERT"] = str(ca_bundle)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                    FLIT_CORE, "-d", str(wheelhouse)], env=env, check=True, timeout=300)
    (wheel,) = wheelhouse.glob("*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (wheelhouse / "requirements.txt").write_text(f"{FLIT_CORE} --hash=sha256:{digest}\n")
    return readable_by_all(wheelhouse)


@pytest.fixture
def empty_wheelhouse(tmp_path: Path) -> Path:
    wheelhouse = tmp_path / "empty-wheelhouse"
    wheelhouse.mkdir()
    (wheelhouse / "requirements.txt").write_text("")
    return readable_by_all(wheelhouse)


def build(runtime: ContainerRuntime, image: str, source: Path, wheelhouse: Path, out: Path,
          **env: str) -> RunResult:
    spec = RunSpec(image=image, command=["/opt/verifier-tools/recipe/build.sh"],
                   mounts=[Mount(source, "/src"), Mount(wheelhouse, "/wheelhouse"),
                           Mount(writable_by_builder(out), "/out", read_only=False)],
                   env=env, user="1000:1000", tmpfs=["/tmp", "/build:exec,size=2g"], timeout_s=300,
                   labels={"verifier.recipe": "pypa-build"})
    return runtime.run(spec, out.parent / f"{out.name}.log")


def test_two_builds_give_the_same_bytes(runtime: ContainerRuntime, builder_image: str, flit_wheelhouse: Path,
                                        tmp_path: Path) -> None:
    source = make_repository(tmp_path / "repo")
    before = sorted((p.relative_to(source), p.stat().st_mtime_ns) for p in source.rglob("*"))
    sdists = []
    for name in ("first", "second"):
        result = build(runtime, builder_image, source, flit_wheelhouse, tmp_path / name,
                       SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
        assert result.ok, result.log_path.read_text()
        (sdist,) = (tmp_path / name / "dist").glob("*.tar.gz")
        sdists.append(sdist.read_bytes())
    assert sdist.name == "tiny-0.1.0.tar.gz"
    assert sdists[0] == sdists[1]
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
    assert {m.name for m in members} >= {"tiny-0.1.0/pyproject.toml", "tiny-0.1.0/tiny/__init__.py",
                                         "tiny-0.1.0/PKG-INFO"}
    # Files copied from the checkout carry SOURCE_DATE_EPOCH (build.sh set it on the copy); flit_core
    # 3.9 writes the PKG-INFO it generates with mtime 0.
    assert {m.name: m.mtime for m in members if m.name.endswith("PKG-INFO")} == {"tiny-0.1.0/PKG-INFO": 0}
    assert {m.mtime for m in members if not m.name.endswith("PKG-INFO")} == {int(SOURCE_DATE_EPOCH)}

    requires = json.loads((tmp_path / "first" / "requires.json").read_text())
    assert requires == {"build_system_requires": ["flit_core>=3.2,<4"], "get_requires_for_build_sdist": [],
                        "missing": []}
    environment = json.loads((tmp_path / "first" / "environment.json").read_text())
    assert environment["pip_freeze"] == [FLIT_CORE]  # the wheelhouse and nothing else
    assert environment["python_version"].startswith("3.11.")
    assert (environment["uid"], environment["umask"], environment["source_date_epoch"]) == (
        1000, "0022", SOURCE_DATE_EPOCH)
    # The checkout was mounted read-only and is untouched.
    assert sorted((p.relative_to(source), p.stat().st_mtime_ns) for p in source.rglob("*")) == before


def test_missing_requirements_exit_42(runtime: ContainerRuntime, builder_image: str, empty_wheelhouse: Path,
                                      tmp_path: Path) -> None:
    source = make_repository(tmp_path / "repo")
    result = build(runtime, builder_image, source, empty_wheelhouse, tmp_path / "out")
    assert result.exit_code == 42, result.log_path.read_text()
    requires = json.loads((tmp_path / "out" / "requires.json").read_text())
    assert requires["missing"] == ["flit_core>=3.2,<4"]
    assert requires["get_requires_for_build_sdist"] is None  # the backend could not be asked yet
    assert not (tmp_path / "out" / "dist").exists()


def test_project_in_a_subdirectory(runtime: ContainerRuntime, builder_image: str, flit_wheelhouse: Path,
                                   tmp_path: Path) -> None:
    source = make_repository(tmp_path / "repo", subdir="python")
    result = build(runtime, builder_image, source, flit_wheelhouse, tmp_path / "out", BUILD_SUBDIR="python")
    assert result.ok, result.log_path.read_text()
    assert [p.name for p in (tmp_path / "out" / "dist").iterdir()] == ["tiny-0.1.0.tar.gz"]

    result = build(runtime, builder_image, source, flit_wheelhouse, tmp_path / "escape", BUILD_SUBDIR="../etc")
    assert result.exit_code == 2
    assert "BUILD_SUBDIR" in result.log_path.read_text()


def test_a_failing_backend_hook_exits_4(runtime: ContainerRuntime, builder_image: str, flit_wheelhouse: Path,
                                   tmp_path: Path) -> None:
    source = make_repository(tmp_path / "repo", with_module=False)
    result = build(runtime, builder_image, source, flit_wheelhouse, tmp_path / "out")
    assert result.exit_code == 4, result.log_path.read_text()  # flit_core: "No file/folder found for module"
    assert "No file/folder found for module tiny" in result.log_path.read_text()
    assert not (tmp_path / "out" / "requires.json").exists()
