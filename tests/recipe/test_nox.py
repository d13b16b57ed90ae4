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


NOXFILE_WITH_HELPER = '''\
import nox


def build_dists(session, *, clean=True):
    session.install("build==1.2.1")
    if clean:
        session.run("rm", "-rf", "dist", external=True)
    _really_build(session)


def _really_build(s):
    s.env["SOURCE_DATE_EPOCH"] = "315532800"
    s.run("python", "-m", "build", "--sdist")


def loop(session):
    loop(session)


@nox.session(python="3.11")
def release(session):
    build_dists(session)
    loop(session)
    session.run("twine", "check", "dist/*")
'''

NOX_WORKFLOW = """\
on:
  push:
    tags: ["*"]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pipx run nox -s release
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_a_session_handing_its_session_to_helpers_is_followed(tmp_path) -> None:
    from tests.recipe.helpers import write_workflow

    (tmp_path / "noxfile.py").write_text(NOXFILE_WITH_HELPER)
    write_workflow(tmp_path, "release.yml", NOX_WORKFLOW)
    recipe = infer_recipe(tmp_path)
    assert recipe.build_command == "python -m build --sdist"
    assert get(recipe, "build_command").origin == origin(tmp_path, "noxfile.py", '"-m", "build"')
    assert [command.text for command in recipe.prebuild] == ["python -m pip install build==1.2.1", "rm -rf dist"]
    assert recipe.env == {"SOURCE_DATE_EPOCH": "315532800"}
    assert any("hands its session to build_dists(), followed" in note for note in recipe.notes)
    assert any("loop() is not followed" in note for note in recipe.notes)
