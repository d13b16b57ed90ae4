"""PANTS_CONFIG_FILES as a repository's CI sets it (verifier/pants/ci_config.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.pants.ci_config import ci_config_files

CI = """\
on: [push]
env:
  PANTS_CONFIG_FILES: {value}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: pants package ::
"""


def tree_with(tmp_path: Path, value: str, *files: str) -> Path:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(CI.format(value=value))
    (tmp_path / "pants.toml").write_text('[GLOBAL]\npants_version = "2.16.0"\n')
    for name in files:
        (tmp_path / name).write_text("[GLOBAL]\ncolors = false\n")
    return tmp_path


def test_the_ci_config_file_is_found_with_its_origin(tmp_path: Path) -> None:
    found = ci_config_files(tree_with(tmp_path, "pants.ci.toml", "pants.ci.toml"))
    assert found is not None and (found.value, found.files, found.origin) == ("pants.ci.toml", ("pants.ci.toml",), ".github/workflows/ci.yml:3")


def test_the_list_form_is_read(tmp_path: Path) -> None:
    found = ci_config_files(tree_with(tmp_path, "\"+['pants.ci.toml']\"", "pants.ci.toml"))
    assert found is not None and found.files == ("pants.ci.toml",)


@pytest.mark.parametrize(("value", "files"), [("pants.ci.toml", ()), ("${{ env.CONFIG }}", ("pants.ci.toml",)), ("../outside.toml", ())])
def test_nothing_when_the_file_is_missing_an_expression_or_outside(tmp_path: Path, value: str, files: tuple[str, ...]) -> None:
    assert ci_config_files(tree_with(tmp_path, value, *files)) is None


def test_nothing_without_workflows(tmp_path: Path) -> None:
    assert ci_config_files(tmp_path) is None
