"""Following `nox -s SESSION` into noxfile.py (verifier/recipe/nox.py)."""

from __future__ import annotations

from tests.recipe.helpers import DATA, get, origin
from verifier.recipe import infer_recipe


def test_nox_build_session() -> None:
    tree = DATA / "nox"
    recipe = infer_recipe(tree)

    assert recipe.build_command == "python -m build --sdist --wheel"
    assert get(recipe, "build_command").origin == origin(tree, "noxfile.py", '"-m", "build"')
    assert recipe.python == "3.11"  # the session's own, not setup-python's 3.12
    assert get(recipe, "python").origin == origin(tree, "noxfile.py", 'python="3.11"')
    assert recipe.env == {"SOURCE_DATE_EPOCH": "315532800"}
    assert [command.text for command in recipe.prebuild] == ["pipx install nox", "python -m pip install build twine"]
    assert any("not literal" in note for note in recipe.notes)  # *session.posargs
