"""The hard cases: the published file says how it was built; --search tries the recipes it points at,
within a budget, and never normalizes content away."""

from pathlib import Path

from tests.support.projects import PROJECTS, make_repo, set_upload_time, tamper


def test_umask_002_release_is_found_by_search(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["setuptools-scm"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project, umask=0o002)
    plain, plain_report = verify(repo, project.version, local_index)
    assert plain.code == 1 and {e["cause"] for e in plain_report["explanations"]} >= {"umask"}
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["recipe"]["umask"] == "002"
    assert "--umask 002" in report["reproduce"]
    assert any(f["name"] == "umask" for f in report["fingerprints"])
    assert len(report["attempts"]) <= 3


def test_search_keeps_a_tampered_release_different(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["setuptools-scm"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project, umask=0o002)
    tamper(published, "scm_demo/__init__.py", b"def answer() -> int:\n    return 43\n")
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "4")
    assert result.code == 1
    assert all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert ("size", "scm_demo-1.2.0/src/scm_demo/__init__.py") in {(d["kind"], d["path"]) for d in report["comparison"]["differences"]} or any(
        d["path"].endswith("scm_demo/__init__.py") for d in report["comparison"]["differences"]
    )


def test_crlf_metadata_is_explained_as_windows(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    import tarfile

    with tarfile.open(published) as archive:
        pkg_info = archive.extractfile("flit_demo-2.0.0/PKG-INFO").read()
    tamper(published, "flit_demo-2.0.0/PKG-INFO", pkg_info.replace(b"\n", b"\r\n"))
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 1
    assert ("windows-line-endings", "flit_demo-2.0.0/PKG-INFO") in {(e["cause"], e["path"]) for e in report["explanations"]}
    assert any(f["name"] == "windows" for f in report["fingerprints"])


def test_release_made_from_an_earlier_commit_is_named(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    from tests.support.projects import git

    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    earlier = git(repo, "rev-parse", "HEAD")
    (repo / "flit_demo" / "__init__.py").write_text('"""A module, final."""\n\n\ndef answer() -> int:\n    return 42\n')
    git(repo, "commit", "-q", "-am", "final docstring")
    git(repo, "tag", "-f", "-a", project.tag, "-m", "moved")
    publisher.publish(repo, earlier, index_dir, project)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 1
    other = [e for e in report["explanations"] if e["cause"] == "other-commit"]
    assert other and other[0]["evidence"]["commit"] == earlier and other[0]["evidence"]["distance"] == -1


WORKFLOW = """\
name: release
on:
  push:
    tags: ["v*"]
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      DEMO_BUILD_VARIANT: release
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install build && python -m build --sdist
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

SETUP_PY = """\
import os
from setuptools import setup

with open("variant_demo/_variant.py", "w") as handle:
    handle.write(f"VARIANT = {os.environ.get('DEMO_BUILD_VARIANT', 'dev')!r}\\n")
setup()
"""


def test_workflow_environment_is_inferred_and_applied(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    from tests.support.projects import Project

    project = Project(
        "setuptools", "variant-demo", "variant_demo", "v1.0.0", "1.0.0",
        {
            # setuptools-scm only for its file finder (the publisher's venv has it: so must the rebuild)
            "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\nbuild-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "variant-demo"\nversion = "1.0.0"\n\n[tool.setuptools]\npackages = ["variant_demo"]\n',
            "setup.py": SETUP_PY,
            "variant_demo/__init__.py": "from ._variant import VARIANT\n",
            ".gitignore": "variant_demo/_variant.py\n",
            ".github/workflows/release.yml": WORKFLOW,
        },
        ("setuptools>=64", "setuptools-scm>=8"),
    )
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project, env={"DEMO_BUILD_VARIANT": "release"})
    blind, blind_report = verify(repo, project.version, local_index, "--no-infer")
    assert blind.code == 1
    assert any(d["path"].endswith("variant_demo/_variant.py") for d in blind_report["comparison"]["differences"])
    result, report = verify(repo, project.version, local_index)
    assert result.code == 0, report["comparison"]["differences"]
    setting = [s for s in report["inferred"]["settings"] if s["name"] == "env.DEMO_BUILD_VARIANT"]
    assert setting and setting[0]["value"] == "release" and setting[0]["origin"] == ".github/workflows/release.yml:9"
    assert report["recipe"]["env"] == {"DEMO_BUILD_VARIANT": "release"}
    assert "--env DEMO_BUILD_VARIANT=release" in report["reproduce"]


FLIT_WORKFLOW = """\
name: publish
on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install flit
      - run: flit build --format sdist
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_a_flit_build_release_is_rebuilt_with_flit_build(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    extra = {"tests/test_answer.py": "def test():\n    assert True\n", "docs/index.md": "# docs\n"}
    repo = make_repo(project, tmp_path / "repo", extra_files={**extra, ".github/workflows/publish.yml": FLIT_WORKFLOW})
    publisher.publish(repo, project.tag, index_dir, project, frontend="flit")
    blind, blind_report = verify(repo, project.version, local_index, "--no-infer")
    assert blind.code == 1
    assert "omitted-by-rebuild" in {e["cause"] for e in blind_report["explanations"]}
    result, report = verify(repo, project.version, local_index)
    assert result.code == 0, (report.get("error"), report.get("error_details"), report.get("comparison"))
    assert report["recipe"]["frontend"] == "flit" and "--frontend flit" in report["reproduce"]
    searched, searched_report = verify(repo, project.version, local_index, "--no-infer", "--search")
    assert searched.code == 0 and searched_report["recipe"]["frontend"] == "flit"
