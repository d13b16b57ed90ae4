"""Recipe inference end to end, on trees modelled on real release set-ups (verifier/recipe/infer.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.recipe.helpers import DATA, GOOD, env_setting, get, origin, write_workflow
from verifier.recipe import InferredRecipe, infer_recipe


def test_publish_workflow_build_job_needed_by_publish_job() -> None:
    tree = DATA / "pypi_publish"
    release = ".github/workflows/release.yml"
    recipe = infer_recipe(tree)

    assert recipe.frontend == "build"
    assert recipe.build_command == "python -m build"
    assert recipe.python == "3.12"
    assert recipe.env == {
        "FORCE_COLOR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_MYPKG": "1.4.0",
    }
    assert [(command.text, command.origin) for command in recipe.prebuild] == [
        ("python -m pip install --upgrade pip build", origin(tree, release, "run: python -m pip install")),
    ]
    job = get(recipe, "job")
    assert job.value == "build"
    assert job.origin == origin(tree, release, "  build:")
    assert "needs" in job.note
    assert get(recipe, "build_command").origin == origin(tree, release, "run: python -m build")
    assert get(recipe, "python").origin == origin(tree, release, 'python-version: "3.12"')
    assert env_setting(recipe, "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_MYPKG") == origin(tree, release, "SETUPTOOLS_SCM_PRETEND")
    assert env_setting(recipe, "FORCE_COLOR") == origin(tree, release, "FORCE_COLOR")
    # The CI workflow also builds (on 3.9), but it publishes nothing: named, not chosen.
    assert any("not chosen" in note and "ci.yml" in note for note in recipe.notes)

def test_flit_release_workflow() -> None:
    tree = DATA / "flit"
    release = ".github/workflows/release.yml"
    recipe = infer_recipe(tree)

    assert recipe.frontend == "flit"
    assert recipe.build_command == "flit build --no-use-vcs"
    assert recipe.python == "3.11"
    assert get(recipe, "python").origin == origin(tree, release, "python-version: '3.11'")
    assert get(recipe, "option.no-use-vcs").value == "yes"
    assert [command.text for command in recipe.prebuild] == ["python -m pip install --upgrade pip", "python -m pip install flit"]
    assert [command.origin for command in recipe.prebuild] == [
        origin(tree, release, "python -m pip install --upgrade pip"),
        origin(tree, release, "python -m pip install flit"),
    ]
    assert "pypa/gh-action-pypi-publish" in get(recipe, "job").note

def test_hynek_build_and_inspect_action() -> None:
    tree = DATA / "hynek"
    path = ".github/workflows/pypi-package.yml"
    recipe = infer_recipe(tree)

    assert recipe.frontend == "build"
    assert recipe.build_command == "uses: hynek/build-and-inspect-python-package@v2"
    assert get(recipe, "build_command").origin == origin(tree, path, "hynek/build-and-inspect")
    assert get(recipe, "job").value == "build-package"
    # The action brings its own Python: neither setup-python nor .python-version (3.13) says it.
    assert recipe.python is None
    assert any("its own Python" in note for note in recipe.notes)

def test_cython_generation_before_the_sdist_build() -> None:
    tree = DATA / "cython"
    wheels = ".github/workflows/wheels.yml"
    recipe = infer_recipe(tree)

    assert get(recipe, "job").value == "build_sdist"
    assert recipe.build_command == "python -m build --sdist"
    assert [(command.text, command.origin) for command in recipe.prebuild] == [
        ("python -m pip install --upgrade pip", origin(tree, wheels, "pip install --upgrade pip")),
        ('python -m pip install "cython>=3.0" build', origin(tree, wheels, '"cython>=3.0"')),
        ("cython src/x.pyx", origin(tree, wheels, "cython src/x.pyx")),
        # A backslash-continued command is one command, at the line it starts on.
        ("cython -3 src/fastmod/_speedups.pyx -o src/fastmod/_speedups.c", origin(tree, wheels, "cython -3")),
    ]
    assert recipe.python == "3.11"

def test_nothing_found_gives_an_empty_recipe(tmp_path: Path) -> None:
    assert infer_recipe(tmp_path) == InferredRecipe()
    write_workflow(tmp_path, "ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n")
    recipe = infer_recipe(tmp_path)
    assert not recipe.found and recipe.frontend is None and recipe.build_command is None and recipe.env == {}
    assert recipe.notes == ["no workflow step builds a distribution"]

def test_recipe_is_json_ready() -> None:
    document = json.loads(json.dumps(infer_recipe(DATA / "tox").as_dict()))
    assert document["build_command"] == "python -m build --sdist"
    assert {"name", "value", "origin", "note"} <= set(document["settings"][0])

def test_uv_build_is_inferred_as_a_frontend(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", GOOD.replace("python -m build", "uv build --sdist"))
    recipe = infer_recipe(tmp_path)
    assert recipe.build_command == "uv build --sdist" and recipe.frontend == "uv"
    assert not any("does not run" in note for note in recipe.notes)

def test_fixtures_are_not_modified(tmp_path: Path) -> None:
    copy = tmp_path / "tox"
    shutil.copytree(DATA / "tox", copy)
    before = sorted((path.relative_to(copy), path.read_bytes()) for path in copy.rglob("*") if path.is_file())
    infer_recipe(copy)
    after = sorted((path.relative_to(copy), path.read_bytes()) for path in copy.rglob("*") if path.is_file())
    assert before == after

WORKFLOW_PIECES = [*"ab:-_ \n\t'\"[]{}&*!|>#$.=/\\", "run: ", "uses: ", "jobs:", "steps:", "${{", "}}", "python -m build", "tox -e build", "make", "nox -s build", "      - "]

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    workflow=st.lists(st.sampled_from(WORKFLOW_PIECES), max_size=120).map("".join),
    config=st.text(max_size=200),
)
def test_arbitrary_input_never_raises(tmp_path: Path, workflow: str, config: str) -> None:
    tree = tmp_path / "fuzz"
    shutil.rmtree(tree, ignore_errors=True)
    write_workflow(tree, "release.yml", workflow)
    for name in ("tox.ini", "Makefile", "noxfile.py", ".python-version"):
        (tree / name).write_text(config)
    recipe = infer_recipe(tree)
    assert isinstance(recipe, InferredRecipe)
    json.dumps(recipe.as_dict())
