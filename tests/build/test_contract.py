"""The contract every builder keeps, checked on the fake builder (always, in milliseconds) and on
the real ones (pypa-build and Pants in podman: marked `podman`, the slow ones).

A builder given a `BuildRequest` for a clean checkout:
- recognizes the tree it builds (`detects`);
- writes exactly one sdist, inside the request's work directory, named after the package and version,
  holding one top directory with a PKG-INFO naming both;
- keeps its log inside the work directory and names itself in the result;
- describes its build requirements and deviations in the shapes the verify report reads;
- builds the same sdist twice from the same request, equal under the default normalizations
  (mtime, owner, gzip-header: Pants stamps its build clock), byte for byte when it honours
  SOURCE_DATE_EPOCH (what makes a verdict mean anything);
- reports a failing build as BuildError (could not verify) carrying the log's tail.
"""

from __future__ import annotations

import dataclasses
import os
import tarfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tests.support.fake_builder import FakeBuilder, NoRuntime
from tests.support.projects import PROJECTS, UPLOAD_TIME, Project, make_repo
from verifier.build.interface import Builder, BuildRequest, BuildResult
from verifier.build.pants import PantsBuilder
from verifier.build.pypa import PypaBuilder
from verifier.config import load_settings
from verifier.errors import BuildError
from verifier.report.model.verify import BuildRequirement, Deviation
from verifier.runtime.interface import ContainerRuntime
from verifier.source.git import clean_checkout
from verifier.source.interface import ProjectInfo
from verifier.source.metadata import detect_project
from verifier.source.tags import resolve_tag
from verifier.verify.interface import VerifyRequest
from verifier.verify.stages.build import base_image_for
from verifier.verify.stages.compare import compare_with

BROKEN = Project(
    "setuptools", "broken-demo", "broken_demo", "v1.0.0", "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "broken-demo"\nversion = "1.0.0"\n',
        "setup.py": "raise SystemExit('this release cannot be built')\n",
    },
    ("setuptools>=64",),
)


@dataclass(frozen=True)
class Case:
    builder: Builder
    runtime: ContainerRuntime
    package: str
    version: str
    checkout: Path
    project: ProjectInfo


def _checkout(repo: Path, tag: str, destination: Path) -> Path:
    return clean_checkout(repo, resolve_tag(repo, tag), destination).path


def _base_image(case: Case, cache_dir: Path) -> str | None:
    """The base image the pipeline would use here (None: the Dockerfile's pinned default)."""
    if isinstance(case.runtime, NoRuntime):
        return None
    settings = dataclasses.replace(load_settings(), cache_dir=cache_dir)
    request = VerifyRequest(tag="", repo=case.checkout)
    return base_image_for(request, settings, case.runtime, lambda message: None)[0]


def _request(case: Case, workdir: Path, cache_dir: Path) -> BuildRequest:
    return BuildRequest(
        package=case.package,
        checkout=case.checkout,
        project=case.project,
        source_date_epoch=1_700_000_000,
        python_version="3.11",
        cutoff=datetime.fromisoformat(UPLOAD_TIME),
        build_index_url="https://pypi.org/simple/",
        pins=(),
        workdir=workdir,
        cache_dir=cache_dir,
        base_image=_base_image(case, cache_dir),
        timeout_s=1800,
    )


def _fake_case(tmp_path: Path, fail: str | None = None, project: Project = PROJECTS["flit"]) -> Case:
    checkout = _checkout(make_repo(project, tmp_path / "repo"), project.tag, tmp_path / "checkout")
    info = detect_project(checkout, project.name, None)
    return Case(FakeBuilder(fail=fail), NoRuntime(), project.name, project.version, checkout, info)


def _runtime() -> ContainerRuntime:
    from verifier.runtime.detect import detect_runtime, runtime_args_from_env

    return detect_runtime(os.environ.get("VERIFIER_RUNTIME") or None, runtime_args_from_env())


def _pypa_case(tmp_path: Path, project: Project = PROJECTS["flit"]) -> Case:
    checkout = _checkout(make_repo(project, tmp_path / "repo"), project.tag, tmp_path / "checkout")
    return Case(PypaBuilder(), _runtime(), project.name, project.version, checkout, detect_project(checkout, project.name, None))


def _pants_case(tmp_path: Path) -> Case:
    from tests.pants.test_pants_e2e import FILES, _git

    repo = tmp_path / "repo"
    for relative, text in FILES.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(textwrap.dedent(text))
    for args in (("init", "-q"), ("add", "."), ("commit", "-q", "-m", "tiny monorepo"), ("tag", "v0.1.0")):
        _git(repo, *args)
    checkout = _checkout(repo, "0.1.0", tmp_path / "checkout")
    project = ProjectInfo("tiny-alpha", None, "", None, "pants", (), (), True)
    return Case(PantsBuilder(), _runtime(), "tiny-alpha", "0.1.0", checkout, project)


FAST = [pytest.param("fake", id="fake")]
REAL = [
    pytest.param("pypa-build", id="pypa-build", marks=pytest.mark.podman),
    pytest.param("pants", id="pants", marks=[pytest.mark.podman, pytest.mark.pants]),
]
CASES: dict[str, Callable[[Path], Case]] = {"fake": _fake_case, "pypa-build": _pypa_case, "pants": _pants_case}


def _cache_dir(kind: str, tmp_path: Path) -> Path:
    return tmp_path / "cache" if kind == "fake" else load_settings().cache_dir


def _check_result(case: Case, request: BuildRequest, result: BuildResult) -> None:
    assert result.builder == case.builder.name
    assert result.sdist.is_file() and request.workdir in result.sdist.parents
    assert result.log_path.is_file() and request.workdir in result.log_path.parents
    stem = result.sdist.name.removesuffix(".tar.gz")
    name, version = stem.rsplit("-", 1)
    assert (canonicalize_name(name), version) == (canonicalize_name(case.package), case.version)
    with tarfile.open(result.sdist) as archive:
        names = archive.getnames()
        tops = {member.split("/")[0] for member in names}
        assert tops == {stem}
        pkg_info = archive.extractfile(f"{stem}/PKG-INFO").read().decode()  # type: ignore[union-attr]
    assert f"Version: {case.version}\n" in pkg_info
    assert canonicalize_name(pkg_info.split("Name: ", 1)[1].splitlines()[0]) == canonicalize_name(case.package)
    for requirement in result.requirements:  # the shapes the verify report reads
        BuildRequirement(**requirement)
    for deviation in result.deviations:
        Deviation(**deviation)


@pytest.mark.parametrize("kind", FAST + REAL)
def test_builds_one_sdist_twice_the_same(kind: str, tmp_path: Path) -> None:
    case = CASES[kind](tmp_path)
    assert case.builder.detects(case.checkout)
    first = _request(case, tmp_path / "first", _cache_dir(kind, tmp_path))
    result = case.builder.build(first, case.runtime, lambda message: None)
    _check_result(case, first, result)
    again = case.builder.build(replace(first, workdir=tmp_path / "again"), case.runtime, lambda message: None)
    assert compare_with(result.sdist, again.sdist, ("mtime", "owner", "gzip-header"), tmp_path / "compare").reproducible
    if kind != "pants":  # Pants does not pass SOURCE_DATE_EPOCH on
        assert again.sdist.read_bytes() == result.sdist.read_bytes()


def _broken_case(kind: str, tmp_path: Path) -> Case:
    if kind == "fake":
        return _fake_case(tmp_path, fail="this release cannot be built")
    return _pypa_case(tmp_path, BROKEN)


@pytest.mark.parametrize("kind", FAST + REAL[:1])
def test_a_failing_build_is_a_build_error_with_the_log_tail(kind: str, tmp_path: Path) -> None:
    case = _broken_case(kind, tmp_path)
    request = _request(case, tmp_path / "work", _cache_dir(kind, tmp_path))
    with pytest.raises(BuildError) as caught:
        case.builder.build(request, case.runtime, lambda message: None)
    assert caught.value.exit_code == 3
    assert "this release cannot be built" in caught.value.details


def test_the_fake_builder_follows_the_request(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH and the umask reach the fake backend as they reach a real one."""
    case = _fake_case(tmp_path)
    request = replace(_request(case, tmp_path / "work", tmp_path / "cache"), umask="002")
    result = case.builder.build(request, case.runtime, lambda message: None)
    with tarfile.open(result.sdist) as archive:
        members = archive.getmembers()
    assert {member.mtime for member in members} == {1_700_000_000}
    assert {member.mode for member in members} == {0o664}

