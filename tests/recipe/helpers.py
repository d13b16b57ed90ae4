"""Shared helpers of the recipe tests: the fixture trees, origins by the text of a line, workflows."""

from __future__ import annotations

from pathlib import Path

from verifier.recipe import InferredRecipe, Setting

DATA = Path(__file__).parent / "data" / "workflows"


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line of `path` containing `needle`."""
    found = [number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    assert len(found) >= occurrence, f"{needle!r} not in {path}"
    return found[occurrence - 1]


def origin(tree: Path, relative: str, needle: str, occurrence: int = 1) -> str:
    return f"{relative}:{line_of(tree / relative, needle, occurrence)}"


def write_workflow(tree: Path, name: str, text: str) -> Path:
    path = tree / ".github" / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def get(recipe: InferredRecipe, name: str) -> Setting:
    """The setting `name` of `recipe`, which must be there."""
    setting = recipe.setting(name)
    assert setting is not None, f"no {name} in {recipe.settings}"
    return setting


def env_setting(recipe: InferredRecipe, name: str) -> str:
    return get(recipe, f"env.{name}").origin


GOOD = "on: push\njobs:\n  b:\n    steps:\n      - run: python -m build\n      - run: twine upload dist/*\n"
