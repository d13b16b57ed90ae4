"""The Python of the build job: setup-python and the matrix (verifier/recipe/setup_python.py)."""

from __future__ import annotations

from pathlib import Path

from tests.recipe.helpers import get, origin, write_workflow
from verifier.recipe import infer_recipe

MATRIX_WORKFLOW = """\
name: release
on:
  push:
    tags: ["*"]
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
{matrix}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{{{ matrix.python-version }}}}
      - run: python -m pip install build && python -m build
      - run: python -m twine upload dist/*
"""

def test_matrix_with_one_python(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", MATRIX_WORKFLOW.format(matrix='        python-version:\n          - "3.11"'))
    recipe = infer_recipe(tmp_path)

    assert recipe.python == "3.11"
    assert get(recipe, "python").origin == origin(tmp_path, ".github/workflows/release.yml", '- "3.11"')
    assert not any("several" in note for note in recipe.notes)
    # `pip install build && python -m build`: the install is a prebuild command of the same line.
    assert recipe.build_command == "python -m build"
    assert [command.text for command in recipe.prebuild] == ["python -m pip install build"]

def test_matrix_with_several_pythons_takes_the_lowest(tmp_path: Path) -> None:
    matrix = '        python-version: ["3.10", "3.9", "3.11"]\n        os: [ubuntu-latest]'
    write_workflow(tmp_path, "release.yml", MATRIX_WORKFLOW.format(matrix=matrix))
    recipe = infer_recipe(tmp_path)

    assert recipe.python == "3.9"  # by version, not as text ("3.10" < "3.9")
    assert get(recipe, "python").origin == origin(tmp_path, ".github/workflows/release.yml", "python-version: [")
    assert any("several values" in note and "3.9" in note and "the first is 3.10" in note for note in recipe.notes)

def test_matrix_include_and_unresolvable_expressions(tmp_path: Path) -> None:
    matrix = "        include:\n          - python-version: '3.8'\n            arch: x64"
    write_workflow(tmp_path, "release.yml", MATRIX_WORKFLOW.format(matrix=matrix))
    assert infer_recipe(tmp_path).python == "3.8"

    write_workflow(tmp_path, "release.yml", MATRIX_WORKFLOW.format(matrix="        python-version: ${{ fromJSON(needs.setup.outputs.pythons) }}"))
    recipe = infer_recipe(tmp_path)
    assert recipe.python is None
    assert any("matrix.python-version" in note for note in recipe.notes)
