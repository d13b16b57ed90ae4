"""Workflow expressions and shell forms that stand for the release itself (verifier/recipe/expressions.py),
and how the inferred environment uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.recipe.helpers import get, write_workflow
from verifier.recipe import infer_recipe
from verifier.recipe.expressions import ReleaseFacts, resolve_shell_value, resolve_workflow_value

FACTS = ReleaseFacts("v1.2.0", "1.2.0", 1_700_000_000, "0123abcd")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("${{ github.ref_name }}", "v1.2.0"),
        ("${{github.event.release.tag_name}}", "v1.2.0"),
        ("${{ github.ref }}", "refs/tags/v1.2.0"),
        ("${{ inputs.version }}", "1.2.0"),
        ("v${{ github.event.inputs.release-version }}", "v1.2.0"),
        ("${{ inputs.tag }}", "v1.2.0"),
        ("${{ github.sha }}", "0123abcd"),
    ],
)
def test_workflow_expressions_the_release_decides(written: str, value: str) -> None:
    resolved = resolve_workflow_value(written, FACTS)
    assert (resolved.value, resolved.unresolved) == (value, ())
    assert resolved.used


@pytest.mark.parametrize("written", ["${{ steps.version.outputs.v }}", "${{ secrets.TOKEN }}", "${{ format('{0}', github.ref_name) }}", "${{ inputs.target }}"])
def test_other_expressions_stay_unresolved_and_are_listed(written: str) -> None:
    resolved = resolve_workflow_value(f"x-{written}", FACTS)
    assert resolved.value is None and resolved.unresolved == (written,)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("$GITHUB_REF_NAME", "v1.2.0"),
        ("${GITHUB_REF_NAME}", "v1.2.0"),
        ("${GITHUB_REF#refs/tags/}", "v1.2.0"),
        ("${GITHUB_REF#refs/tags/v}", "1.2.0"),
        ("${GITHUB_REF##*/}", "v1.2.0"),
        ("${GITHUB_REF_NAME%.*}", "v1.2"),
        ("$(git log -1 --pretty=%ct)", "1700000000"),
        ("$(git log -1 --format=%ct)", "1700000000"),
        ("$(git show -s --format=%ct HEAD)", "1700000000"),
    ],
)
def test_shell_forms_the_release_decides(written: str, value: str) -> None:
    assert resolve_shell_value(written, FACTS).value == value


@pytest.mark.parametrize("written", ["$HOME/x", "$(date +%s)", "`git describe`", "${VERSION:-1}"])
def test_other_shell_values_stay_unresolved(written: str) -> None:
    resolved = resolve_shell_value(written, FACTS)
    assert resolved.value is None and resolved.unresolved


def test_commit_time_unknown_stays_unresolved() -> None:
    assert resolve_shell_value("$(git log -1 --pretty=%ct)", ReleaseFacts("v1", "1")).value is None


WORKFLOW = """\
on:
  push:
    tags: ["v*"]
jobs:
  release:
    runs-on: ubuntu-latest
    env:
      SETUPTOOLS_SCM_PRETEND_VERSION: ${{ github.ref_name }}
      TOKEN: ${{ secrets.PYPI }}
    steps:
      - uses: actions/checkout@v4
      - run: echo "RELEASE=${GITHUB_REF#refs/tags/v}" >> $GITHUB_ENV
      - run: SOURCE_DATE_EPOCH=$(git log -1 --pretty=%ct) python -m build
"""


def test_inference_resolves_the_release_values_with_their_origins(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", WORKFLOW)
    found = infer_recipe(tmp_path, None, FACTS)
    assert found.env == {"SETUPTOOLS_SCM_PRETEND_VERSION": "v1.2.0", "RELEASE": "1.2.0", "SOURCE_DATE_EPOCH": "1700000000"}
    assert get(found, "env.SETUPTOOLS_SCM_PRETEND_VERSION").origin == ".github/workflows/release.yml:8"
    assert "github.ref_name = v1.2.0" in get(found, "env.SETUPTOOLS_SCM_PRETEND_VERSION").note
    assert get(found, "env.SOURCE_DATE_EPOCH").origin == ".github/workflows/release.yml:13"
    assert any("TOKEN is a secret" in note for note in found.notes)
    assert found.build_command == "SOURCE_DATE_EPOCH=$(git log -1 --pretty=%ct) python -m build"


def test_without_the_release_facts_the_expressions_are_skipped(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", WORKFLOW)
    found = infer_recipe(tmp_path)
    assert found.env == {}
    assert any("SETUPTOOLS_SCM_PRETEND_VERSION is an expression" in note for note in found.notes)
