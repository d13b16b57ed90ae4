"""Following `make TARGET` into the Makefile (verifier/recipe/make.py)."""

from __future__ import annotations

from tests.recipe.helpers import DATA, env_setting, get, origin
from verifier.recipe import infer_recipe


def test_makefile_dist_target() -> None:
    tree = DATA / "make"
    recipe = infer_recipe(tree)

    assert recipe.frontend == "build"
    assert recipe.build_command == "python3 -m build --sdist --wheel ."  # $(PYTHON) expanded
    assert get(recipe, "build_command").origin == origin(tree, "Makefile", "-m build")
    assert get(recipe, "via").value == "make dist"
    assert [(command.text, command.origin) for command in recipe.prebuild] == [
        ("pip install build twine", origin(tree, ".github/workflows/publish.yml", "pip install build twine")),
        ("rm -rf build dist *.egg-info", origin(tree, "Makefile", "rm -rf")),  # the `clean` prerequisite
    ]
    assert recipe.env == {"PYTHONDONTWRITEBYTECODE": "1"}
    assert env_setting(recipe, "PYTHONDONTWRITEBYTECODE") == origin(tree, "Makefile", "export PYTHONDONTWRITEBYTECODE")
    assert recipe.python == "3.11"
