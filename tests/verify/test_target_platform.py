"""End to end: a build requirement with platform wheels only, rebuilt with another Python than the
default (`--python 3.9`, Debian bullseye: glibc 2.31). Its wheelhouse must be resolved and downloaded
for that interpreter and that container's platform: bcrypt 4.3.0 publishes cp39-abi3 wheels for
manylinux_2_34, 2_28 and 2_17, and the manylinux_2_34 one (the best for glibc 2.36, the default
image's) does not install on glibc 2.31."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.support.projects import UPLOAD_TIME, Project, Publisher, make_repo, publisher_venv
from verifier.testing.index_server import LocalIndex
from verifier.upstream.requirements import resolve_build_requirements

REQUIRES = ("setuptools>=64", "bcrypt==4.3.0")
PROJECT = Project(
    "setuptools",
    "platform-demo",
    "platform_demo",
    "v1.0.0",
    "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64", "bcrypt==4.3.0"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "platform-demo"\nversion = "1.0.0"\ndescription = "needs bcrypt to build"\n\n'
        '[tool.setuptools]\npy-modules = ["platform_demo"]\n',
        "platform_demo.py": '"""A module."""\n',
    },
    REQUIRES,
)


@pytest.fixture(scope="module")
def publisher_39(tmp_path_factory: pytest.TempPathFactory) -> Publisher:
    """The publisher's backends: what the rebuild pins for Python 3.9 as of the upload time."""
    pinned = resolve_build_requirements(
        list(REQUIRES), datetime.fromisoformat(UPLOAD_TIME), "https://pypi.org/simple/", "3.9",
        workdir=tmp_path_factory.mktemp("resolve"),
    )
    return publisher_venv(tmp_path_factory.mktemp("publisher-39") / "venv", [f"{pin.name}=={pin.version}" for pin in pinned])


def test_a_platform_wheel_build_requirement_installs_in_the_recipes_python(
    publisher_39: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path
) -> None:
    repo = make_repo(PROJECT, tmp_path / "repo")
    publisher_39.publish(repo, PROJECT.tag, index_dir, PROJECT)
    result, report = verify(repo, PROJECT.version, local_index, "--python", "3.9", "--sdist-only")
    assert result.code == 0, (report.get("error"), report.get("error_details"))
    assert report["builder"]["python"].startswith("3.9")
    installed = {item["name"]: item["filename"] for item in report["builder"]["build_requirements"]}
    assert installed["bcrypt"].startswith("bcrypt-4.3.0-cp39-abi3-manylinux_2_28_x86_64"), installed
    assert "--python 3.9" in report["reproduce"]
