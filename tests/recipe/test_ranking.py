"""Choosing the build that made the published sdist (verifier/recipe/ranking.py)."""

from __future__ import annotations

from pathlib import Path

from tests.recipe.helpers import DATA, get, origin, write_workflow
from verifier.recipe import infer_recipe


def test_monorepo_package_chooses_its_directory() -> None:
    tree = DATA / "monorepo"
    release = ".github/workflows/release.yml"

    beta = infer_recipe(tree, "beta_core")
    assert beta.build_command == "python -m build --sdist"
    assert get(beta, "working_directory").value == "packages/beta-core"  # from `cd` in the step
    assert beta.python == "3.12"

    alpha = infer_recipe(tree, "alpha")
    assert alpha.build_command == "python -m build --outdir ../../dist"
    assert get(alpha, "working_directory").value == "packages/alpha"  # from defaults.run
    assert get(alpha, "build_command").origin == origin(tree, release, "--outdir")
    assert [command.working_directory for command in alpha.prebuild] == ["packages/alpha"]

    unknown = infer_recipe(tree)
    assert any("rank the same" in note for note in unknown.notes)

def test_sdist_build_preferred_to_wheel_only_and_publishing_to_ci(tmp_path: Path) -> None:
    write_workflow(tmp_path, "a-ci.yml", """\
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: pipx run build --sdist
""")
    write_workflow(tmp_path, "b-release.yml", """\
on:
  release:
    types: [published]
jobs:
  wheels:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build --wheel
  sdist:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build --sdist --outdir dist/
  upload:
    needs: [wheels, sdist]
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
""")
    recipe = infer_recipe(tmp_path)
    assert get(recipe, "job").value == "sdist"
    assert recipe.build_command == "python -m build --sdist --outdir dist/"
    assert get(recipe, "option.outdir").value == "dist/"

def test_reusable_workflow_called_by_the_publishing_workflow(tmp_path: Path) -> None:
    write_workflow(tmp_path, "build.yml", """\
on:
  workflow_call:
jobs:
  dist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: "3.13"
      - run: python -m build
""")
    write_workflow(tmp_path, "ci.yml", """\
on: push
jobs:
  smoke:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build
""")
    write_workflow(tmp_path, "release.yml", """\
on:
  push:
    tags: ["*"]
jobs:
  build:
    uses: ./.github/workflows/build.yml
  publish:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
""")
    recipe = infer_recipe(tmp_path)
    assert get(recipe, "job").origin.startswith(".github/workflows/build.yml:")
    assert recipe.python == "3.13"
