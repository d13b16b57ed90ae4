"""The OS a build job runs on, and builds repeated on several OSes (verifier/recipe/runners.py)."""

from __future__ import annotations

from pathlib import Path

from tests.recipe.helpers import get, write_workflow
from verifier.recipe import infer_recipe
from verifier.recipe.runners import os_of

JOB = """\
  {name}:
    runs-on: {runner}
    steps:
      - uses: actions/checkout@v4
      - run: python -m build
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist
"""

PER_OS = "on:\n  push:\n    tags: ['*']\njobs:\n" + "".join(
    JOB.format(name=name, runner=runner) for name, runner in (("MacOS", "macos-latest"), ("Windows", "windows-latest"), ("Linux", "ubuntu-latest"))
) + """\
  Release:
    needs: [Linux, MacOS, Windows]
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

MATRIX = """\
on:
  push:
    tags: ['*']
jobs:
  dist:
    strategy:
      matrix:
        os: [windows-latest, ubuntu-22.04, macos-14]
    runs-on: ${{ matrix.os }}
    steps:
      - uses: actions/checkout@v4
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_runner_labels_name_their_os() -> None:
    assert [os_of(label) for label in ("ubuntu-latest", "windows-2019", "macos-14", "self-hosted", "my-runner")] == [
        "linux", "windows", "macos", "linux", "other",
    ]


def test_of_one_build_job_per_os_the_linux_one_is_rebuilt_and_the_others_named(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", PER_OS)
    found = infer_recipe(tmp_path)
    assert get(found, "job").value == "Linux"
    assert get(found, "runs_on").value == "ubuntu-latest"
    note = next(note for note in found.notes if note.startswith("the same build runs on other OSes"))
    assert "MacOS (macos-latest" in note and "Windows (windows-latest" in note and "uploaded last" in note


def test_a_matrix_over_oses_is_rebuilt_as_its_linux_entry(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", MATRIX)
    found = infer_recipe(tmp_path)
    runner = get(found, "runs_on")
    assert (runner.value, runner.origin) == ("ubuntu-22.04", ".github/workflows/release.yml:8")
    assert any("runs on each of windows-latest, ubuntu-22.04, macos-14" in note for note in found.notes)


def test_a_windows_only_build_is_said_to_be_out_of_reach(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", MATRIX.replace("[windows-latest, ubuntu-22.04, macos-14]", "[windows-latest]"))
    found = infer_recipe(tmp_path)
    assert get(found, "runs_on").value == "windows-latest"
    assert any("runs on windows-latest: a Linux rebuild cannot reproduce" in note for note in found.notes)
