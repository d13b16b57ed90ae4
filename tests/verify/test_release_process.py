"""The release process recovered end to end in podman (issue 14, ways 3 and 4): a workflow value that
is the release's tag, a generator script run before the build, a pinned build tool installed from a
requirements file. Tampered copies stay `different` under every recipe tried."""

from __future__ import annotations

import tarfile
from pathlib import Path

from tests.support.projects import PROJECTS, Project, make_repo, publisher_venv, set_upload_time, tamper

TAG_WORKFLOW = """\
name: release
on:
  release:
    types: [published]
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      RELEASE_VERSION: ${{ github.event.release.tag_name }}
    steps:
      - uses: actions/checkout@v4
      - run: pip install build
      - run: SOURCE_DATE_EPOCH=$(git log -1 --pretty=%ct) python -m build --sdist
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

TAG_SETUP_PY = """\
import os
from setuptools import setup

setup(name="tagged-demo", version=os.environ["RELEASE_VERSION"].removeprefix("v"), packages=["tagged_demo"])
"""


def test_the_release_tag_in_a_workflow_expression_is_resolved(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = Project(
        "setuptools", "tagged-demo", "tagged_demo", "v1.4.0", "1.4.0",
        {
            # setuptools-scm only for its file finder (the publisher's venv has it: so must the rebuild)
            "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\nbuild-backend = "setuptools.build_meta"\n',
            "setup.py": TAG_SETUP_PY,
            "tagged_demo/__init__.py": "ANSWER = 42\n",
            ".github/workflows/release.yml": TAG_WORKFLOW,
        },
        ("setuptools>=64", "setuptools-scm>=8"),
    )
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project, env={"RELEASE_VERSION": "v1.4.0"})
    blind, blind_report = verify(repo, project.version, local_index, "--no-infer")
    assert blind.code == 3 and "RELEASE_VERSION" in (blind_report.get("error_details") or "")
    result, report = verify(repo, project.version, local_index)
    assert result.code == 0, (report.get("error"), report.get("comparison"))
    setting = next(s for s in report["inferred"]["settings"] if s["name"] == "env.RELEASE_VERSION")
    assert setting["value"] == "v1.4.0" and setting["origin"] == ".github/workflows/release.yml:9"
    assert "github.event.release.tag_name = v1.4.0" in setting["note"]
    assert report["recipe"]["env"] == {"RELEASE_VERSION": "v1.4.0"}
    assert report["recipe"]["source_date_epoch"]["origin"] == "infer:workflow"
    assert ".github/workflows/release.yml:13" in report["recipe"]["source_date_epoch"]["detail"]
    assert "--env RELEASE_VERSION=v1.4.0" in report["reproduce"]


GENERATOR_WORKFLOW = """\
name: publish
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: python -m pip install --upgrade pip build
      - run: python scripts/generate.py
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
GENERATOR = """\
from pathlib import Path

names = sorted(path.stem for path in Path("src/hatch_demo").glob("*.py") if not path.stem.startswith("_"))
Path("src/hatch_demo/_modules.py").write_text(f"MODULES = {names!r}\\n")
"""
GENERATED = "MODULES = []\n"  # what the generator writes at the tag (no public module besides __init__)


def test_a_generator_run_before_the_build_is_run_in_the_build_container(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo", {"scripts/generate.py": GENERATOR, ".github/workflows/publish.yml": GENERATOR_WORKFLOW})
    published = publisher.publish(repo, project.tag, index_dir, project, dirty_files={"src/hatch_demo/_modules.py": GENERATED})
    plain, plain_report = verify(repo, project.version, local_index)
    assert plain.code == 1
    assert "untracked-at-tag" in {e["cause"] for e in plain_report["explanations"]}
    assert any("python scripts/generate.py" in note and "--search runs it" in note for note in plain_report["notes"])
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["recipe"]["prebuild"] == ["python scripts/generate.py"]
    why = next(a["why"] for a in report["attempts"] if a["prebuild"])  # then SOURCE_DATE_EPOCH may follow
    assert "generated" in why and ".github/workflows/publish.yml:14" in why and "_modules.py" in why
    assert "--prebuild-step 'python scripts/generate.py'" in report["reproduce"]
    # A published file the generator would not write stays different under every recipe.
    tamper(published, "src/hatch_demo/_modules.py", b"MODULES = ['backdoor']\n")
    set_upload_time(index_dir, published.name)
    tampered, tampered_report = verify(repo, project.version, local_index, "--search", "--max-builds", "3")
    assert tampered.code == 1
    assert all(attempt["verdict"] == "different" for attempt in tampered_report["attempts"])
    assert any(a["prebuild"] for a in tampered_report["attempts"])
    assert any(d["path"].endswith("_modules.py") for d in tampered_report["comparison"]["differences"])


PINNED_WORKFLOW = """\
name: release
on:
  push:
    tags: ["*"]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements-build.txt
      - run: python -m build --sdist --no-isolation
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
OLD_SETUPTOOLS = "setuptools==68.0.0"
OLD_BUILD = "build==1.0.3"


def test_a_pinned_build_tool_from_a_requirements_file_is_installed_for_the_build(index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = Project(
        "setuptools", "pinned-demo", "pinned_demo", "3.0.0", "3.0.0",
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "pinned-demo"\nversion = "3.0.0"\ndescription = "built with a pinned setuptools"\n',
            "pinned_demo/__init__.py": "ANSWER = 42\n",
            "requirements-build.txt": f"# what the release job installs\n{OLD_SETUPTOOLS}\n{OLD_BUILD}\n",
            ".github/workflows/release.yml": PINNED_WORKFLOW,
        },
        ("setuptools>=61",),
    )
    repo = make_repo(project, tmp_path / "repo")
    old = publisher_venv(tmp_path / "old-publisher", [OLD_SETUPTOOLS])
    published = old.publish(repo, project.tag, index_dir, project)
    with tarfile.open(published) as archive:
        top = archive.getnames()[0].split("/")[0]
        assert b"Metadata-Version: 2.1" in archive.extractfile(f"{top}/PKG-INFO").read()  # type: ignore[union-attr]
    plain, plain_report = verify(repo, project.version, local_index)
    assert plain.code == 1 and "metadata-version" in {e["cause"] for e in plain_report["explanations"]}
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["recipe"]["extra_requirements"] == [OLD_SETUPTOOLS, OLD_BUILD]
    assert report["builder"]["environment"]["frontend"]["build"] == "1.0.3"  # the release's own frontend drove the backend
    why = next(a["why"] for a in report["attempts"] if a["extra_requirements"])
    assert "setuptools==68.0.0" in why and ".github/workflows/release.yml:10" in why
    assert f"--with-requirement {OLD_SETUPTOOLS} --with-requirement {OLD_BUILD}" in report["reproduce"]
    assert {"name": "setuptools", "version": "68.0.0"}.items() <= next(
        r for r in report["builder"]["build_requirements"] if r["name"] == "setuptools"
    ).items()


def test_a_failing_pre_build_step_cannot_verify_with_its_log(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project)
    result, report = verify(repo, project.version, local_index, "--prebuild-step", "echo generating; exit 7")
    assert result.code == 3
    assert "a pre-build step failed" in report["error"]
    assert "pre-build step 1 exited 7" in report["error_details"]


UV_WORKFLOW = """\
name: release
on:
  push:
    tags: ["*"]
jobs:
  dist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v5
      - run: uv build
      - run: uv publish
"""


def test_a_uv_build_release_is_rebuilt_through_the_same_backend_hooks(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo", {".github/workflows/release.yml": UV_WORKFLOW})
    publisher.publish(repo, project.tag, index_dir, project)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 0, (report.get("error"), report.get("comparison"))
    assert report["inferred"]["frontend"] == "uv" and report["inferred"]["build_command"] == "uv build"
    assert any("uv is another PEP 517 frontend" in note and ".github/workflows/release.yml:11" in note for note in report["notes"])


def test_a_release_built_on_windows_is_named_so_and_reproduced_from_a_git_autocrlf_checkout(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    with tarfile.open(published) as archive:  # what a Windows checkout (git autocrlf) would have packed
        texts = {info.name: archive.extractfile(info).read() for info in archive.getmembers() if info.isfile()}  # type: ignore[union-attr]
    for name in ("flit_demo-2.0.0/flit_demo/__init__.py", "flit_demo-2.0.0/pyproject.toml"):
        tamper(published, name, texts[name].replace(b"\n", b"\r\n"))
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 1
    windows = next(e for e in report["explanations"] if e["cause"] == "built-on-windows")
    assert windows["evidence"]["crlf_members"] == 2 and "--search tries one (--windows crlf-checkout" in windows["message"]
    # flit_core writes its own modes and PKG-INFO in binary: the Windows machine shows in the checkout only.
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 0 and report["recipe"]["windows"] == "crlf-checkout", [(a["why"], a["verdict"]) for a in report["attempts"]]


CHECKLIST = """\
# Releasing

```bash
git clone https://github.com/example/hatch-demo && cd hatch-demo
sh scripts/generate.sh
python -m build
twine upload dist/*
```
"""


def test_a_generator_named_by_the_release_checklist_is_run_before_the_build(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    """No workflow builds; RELEASING.md runs a generator before `python -m build` (humanize 4.9.0):
    --search runs it in the build container when the published sdist holds what it writes."""
    base = PROJECTS["hatchling"]
    generated = "made by the release script\n"
    files = {**base.files, "RELEASING.md": CHECKLIST, "scripts/generate.sh": f"printf '{generated.strip()}\\n' > src/hatch_demo/generated.txt\n"}
    project = Project(base.backend, base.name, base.module, base.tag, base.version, files, base.requires)
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project, dirty_files={"src/hatch_demo/generated.txt": generated})
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "2", "--sdist-only")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["attempts"][0]["verdict"] == "different"
    assert report["recipe"]["prebuild"] == ["sh scripts/generate.sh"] and "--prebuild-step 'sh scripts/generate.sh'" in report["reproduce"]
    assert any(s["name"] == "release_doc" and s["origin"] == "RELEASING.md:6" for s in report["inferred"]["settings"])
    tamper(published, "src/hatch_demo/generated.txt", b"made by someone else\n")
    set_upload_time(index_dir, published.name)
    tampered, tampered_report = verify(repo, project.version, local_index, "--search", "--max-builds", "2", "--sdist-only")
    assert tampered.code == 1 and tampered_report["attempts"][1]["prebuild"] == ["sh scripts/generate.sh"]
    assert all(attempt["verdict"] == "different" for attempt in tampered_report["attempts"])
    assert any(d["path"].endswith("generated.txt") for d in tampered_report["comparison"]["differences"])
