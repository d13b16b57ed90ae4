"""Reading the workflow files of a tree (verifier/recipe/workflows.py)."""

from __future__ import annotations

from pathlib import Path

from tests.recipe.helpers import write_workflow
from verifier.recipe import infer_recipe, workflows


def test_too_many_workflow_files(tmp_path: Path) -> None:
    for number in range(workflows.MAX_WORKFLOWS + 5):
        write_workflow(tmp_path, f"w{number:03}.yml", "on: push\njobs: {}\n")
    recipe = infer_recipe(tmp_path)
    assert any(f"only the first {workflows.MAX_WORKFLOWS} read" in note for note in recipe.notes)
