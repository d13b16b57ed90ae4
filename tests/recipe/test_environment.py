"""The environment the build command sees (verifier/recipe/environment.py)."""

from __future__ import annotations

from tests.recipe.helpers import DATA, env_setting, origin
from verifier.recipe import infer_recipe


def test_secrets_and_expressions_are_skipped_with_notes() -> None:
    tree = DATA / "secrets"
    release = ".github/workflows/release.yml"
    recipe = infer_recipe(tree)

    assert recipe.env == {
        "PYTHONHASHSEED": "0",
        "PYTHON_VERSION": "3.12",
        "TWINE_USERNAME": "__token__",
        "BUILD_FLAVOUR": "release",  # written to $GITHUB_ENV by an earlier step
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    assert env_setting(recipe, "BUILD_FLAVOUR") == origin(tree, release, "BUILD_FLAVOUR=release")
    assert env_setting(recipe, "SOURCE_DATE_EPOCH") == origin(tree, release, 'SOURCE_DATE_EPOCH: "1700000000"')
    for name, needle, kind in [
        ("GITHUB_TOKEN", "GITHUB_TOKEN: ${{", "a secret"),
        ("TWINE_PASSWORD", "TWINE_PASSWORD", "a secret"),
        ("RELEASE_NAME", "RELEASE_NAME", "an expression"),
        ("CFLAGS", "CFLAGS", "an expression"),
    ]:
        where = origin(tree, release, needle)
        assert any(note.startswith(where) and name in note and kind in note and "skipped" in note for note in recipe.notes), name
    assert any("SETUPTOOLS_SCM_PRETEND_VERSION" in note and "not a literal" in note for note in recipe.notes)
    assert not any(value.startswith("${{") for value in recipe.env.values())
    assert recipe.python == "3.12"  # ${{ env.PYTHON_VERSION }} resolved from the workflow env
    assert any("secret-sauce-action" in note for note in recipe.notes)  # an action before the build
