"""`.python-version` as the fallback (verifier/recipe/python_version.py)."""

from __future__ import annotations

from pathlib import Path

from tests.recipe.helpers import get, write_workflow
from verifier.recipe import infer_recipe


def test_python_version_file_is_the_fallback(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", """\
on: release
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
      - run: poetry build --format sdist
      - run: poetry publish
""")
    (tmp_path / ".python-version").write_text("# pinned\n3.11.9\n")
    recipe = infer_recipe(tmp_path)
    assert recipe.frontend == "poetry"
    assert recipe.python == "3.11.9"
    assert get(recipe, "python").origin == ".python-version:2"
