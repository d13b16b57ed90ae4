"""Following `tox -e ENV` into tox.ini (verifier/recipe/tox.py)."""

from __future__ import annotations

from tests.recipe.helpers import DATA, env_setting, get, origin
from verifier.recipe import infer_recipe


def test_tox_build_env() -> None:
    tree = DATA / "tox"
    release = ".github/workflows/release.yml"
    recipe = infer_recipe(tree)

    assert recipe.frontend == "build"
    assert recipe.build_command == "python -m build --sdist"
    assert get(recipe, "build_command").origin == origin(tree, "tox.ini", "python -m build --sdist")
    via = get(recipe, "via")
    assert via.value == "tox -e build" and via.origin == origin(tree, release, "tox -e build")
    assert recipe.python == "3.10"  # unquoted in the YAML: still 3.10, not 3.1
    assert recipe.env == {"PYTHONHASHSEED": "0"}
    assert env_setting(recipe, "PYTHONHASHSEED") == origin(tree, "tox.ini", "PYTHONHASHSEED")
    assert any("SOURCE_DATE_EPOCH" in note and "substitution" in note for note in recipe.notes)
    assert [(command.text, command.origin) for command in recipe.prebuild] == [
        ("python -m pip install tox", origin(tree, release, "python -m pip install tox")),
        ('python -c "import shutil; shutil.rmtree(\'dist\', ignore_errors=True)"', origin(tree, "tox.ini", "shutil.rmtree")),
    ]
