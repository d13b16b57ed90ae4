"""Recipe inference from a tagged tree's CI configuration (verifier/verify/infer.py).

The fixtures under tests/verify/data/workflows/ are source trees modelled on real release set-ups;
hostile inputs are written into tmp_path. Origins are checked against the line that holds the text.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import yaml

from verifier.verify import workflows
from verifier.verify.infer import InferredRecipe, Setting, classify, infer_recipe, split_segments

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


# --------------------------------------------------------------------------- realistic trees


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


def test_monorepo_package_chooses_its_directory() -> None:
    tree = DATA / "monorepo"
    release = ".github/workflows/release.yml"

    beta = infer_recipe(tree, "beta_core")
    assert beta.build_command == "python -m build --sdist"
    assert get(beta, "working_directory").value == "packages/beta-core"  # from `cd` in the step
    assert beta.python == "3.12"

    alpha = infer_recipe(tree, "alpha")
    assert alpha.build_command == "python -m build --outdir ../../dist"
    assert get(alpha, "working_directory").value == "packages/alpha"  # from defaults.run
    assert get(alpha, "build_command").origin == origin(tree, release, "--outdir")
    assert [command.working_directory for command in alpha.prebuild] == ["packages/alpha"]

    unknown = infer_recipe(tree)
    assert any("rank the same" in note for note in unknown.notes)


def test_sdist_build_preferred_to_wheel_only_and_publishing_to_ci(tmp_path: Path) -> None:
    write_workflow(tmp_path, "a-ci.yml", """\
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: pipx run build --sdist
""")
    write_workflow(tmp_path, "b-release.yml", """\
on:
  release:
    types: [published]
jobs:
  wheels:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build --wheel
  sdist:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build --sdist --outdir dist/
  upload:
    needs: [wheels, sdist]
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
""")
    recipe = infer_recipe(tmp_path)
    assert get(recipe, "job").value == "sdist"
    assert recipe.build_command == "python -m build --sdist --outdir dist/"
    assert get(recipe, "option.outdir").value == "dist/"


def test_reusable_workflow_called_by_the_publishing_workflow(tmp_path: Path) -> None:
    write_workflow(tmp_path, "build.yml", """\
on:
  workflow_call:
jobs:
  dist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: "3.13"
      - run: python -m build
""")
    write_workflow(tmp_path, "ci.yml", """\
on: push
jobs:
  smoke:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build
""")
    write_workflow(tmp_path, "release.yml", """\
on:
  push:
    tags: ["*"]
jobs:
  build:
    uses: ./.github/workflows/build.yml
  publish:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
""")
    recipe = infer_recipe(tmp_path)
    assert get(recipe, "job").origin.startswith(".github/workflows/build.yml:")
    assert recipe.python == "3.13"


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


# --------------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("command", "frontend", "sdist"),
    [
        ("python -m build", "build", True),
        ("python3.12 -I -m build -s -o dist", "build", True),
        ("python -m build --wheel", "build", False),
        ("pyproject-build --sdist --wheel", "build", True),
        ("pipx run build --sdist", "build", True),
        ("uvx --from build pyproject-build", "build", True),
        ("uv run --with build python -m build", "build", True),
        ("SOURCE_DATE_EPOCH=0 python -m build", "build", True),
        ("flit build --format wheel", "flit", False),
        ("hatch build -t sdist", "hatch", True),
        ("hatch build --target wheel", "hatch", False),
        ("poetry build -f wheel", "poetry", False),
        ("poetry publish --build", "poetry", True),
        ("pdm build --no-sdist", "pdm", False),
        ("python setup.py sdist bdist_wheel", "setup.py", True),
        ("python setup.py bdist_wheel", "setup.py", False),
    ],
)
def test_build_commands(command: str, frontend: str, sdist: bool) -> None:
    kind = classify(command)
    assert kind.build is not None and kind.build.frontend == frontend and kind.build.sdist == sdist


@pytest.mark.parametrize(
    "command",
    ['echo "python -m build"', "python -m pip install build", "pip install flit", "python -c 'import build'", "make test", "tox -e py311"],
)
def test_not_builds(command: str) -> None:
    assert classify(command).build is None


@pytest.mark.parametrize(
    "command",
    ["twine upload dist/*", "python -m twine upload --skip-existing dist/*", "flit publish", "poetry publish", "pdm publish", "hatch publish", "uv publish"],
)
def test_publish_commands(command: str) -> None:
    assert classify(command).publish


def test_split_segments_respects_quotes_comments_and_redirections() -> None:
    assert split_segments("cd pkg && python -m build 2>&1 | tee log  # build it") == ["cd pkg", "python -m build 2>&1", "tee log"]
    assert split_segments("echo 'a && b; c' ; true") == ["echo 'a && b; c'", "true"]


# --------------------------------------------------------------------------- hostile input


GOOD = "on: push\njobs:\n  b:\n    steps:\n      - run: python -m build\n      - run: twine upload dist/*\n"
BOMB = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    + ["jobs:\n  b:\n    steps: [*a9]"]
)
HOSTILE = {
    "bomb.yml": (BOMB, "more than 100000 YAML nodes"),
    "big.yml": ("x: '" + "y" * (2 << 20) + "'\n", "larger than 1048576 bytes"),
    "invalid.yml": ("jobs: [unclosed\n  - : :\n", "invalid YAML"),
    "list.yml": ("- run: python -m build\n- uses: pypa/gh-action-pypi-publish@release/v1\n", "not a mapping"),
    "deep.yml": ("x: " + "[" * 50_000 + "]" * 50_000 + "\n", "YAML"),
    "deep-block.yml": ("".join(" " * depth + f"k{depth}:\n" for depth in range(400)), "nested deeper"),
    "recursive.yml": ("a: &a [*a]\njobs: *a\n", "alias"),
    "many-nodes.yml": ("jobs:\n" + "".join(f"  j{n}: [a, b, c]\n" for n in range(25_000)), "more than 100000 YAML nodes"),
    "two-documents.yml": (GOOD + "---\n" + GOOD, "more than one YAML document"),
    "python-tag.yml": ("jobs: !!python/object/apply:os.system ['touch pwned']\n", "no workflow step builds"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)], ids=["python", "libyaml"])
def test_hostile_workflow_gives_notes_not_exceptions(tmp_path: Path, name: str, loader: type, monkeypatch: pytest.MonkeyPatch) -> None:
    text, expected = HOSTILE[name]
    monkeypatch.setattr(workflows, "default_loader", lambda: loader)
    write_workflow(tmp_path, name, text)
    started = time.monotonic()
    recipe = infer_recipe(tmp_path)
    assert time.monotonic() - started < 2
    assert recipe.build_command is None and recipe.env == {} and recipe.prebuild == []
    assert any(expected in note for note in recipe.notes), recipe.notes
    assert not (tmp_path / "pwned").exists()


def test_hostile_files_beside_a_good_workflow_give_a_partial_recipe(tmp_path: Path) -> None:
    for name, (text, _) in HOSTILE.items():
        write_workflow(tmp_path, name, text)
    write_workflow(tmp_path, "zz-release.yml", GOOD)
    (tmp_path / ".github" / "workflows" / "binary.yml").write_bytes(b"\xff\xfe\x00\x81 not text")
    os.symlink("/dev/zero", tmp_path / ".github" / "workflows" / "zero.yml")
    os.symlink("/etc/passwd", tmp_path / ".github" / "workflows" / "passwd.yaml")
    started = time.monotonic()
    recipe = infer_recipe(tmp_path)
    assert time.monotonic() - started < 3
    assert recipe.build_command == "python -m build"
    assert get(recipe, "build_command").origin == ".github/workflows/zz-release.yml:5"
    for expected in ("not UTF-8", "zero.yml: outside the tree", "passwd.yaml: outside the tree", "invalid YAML"):
        assert any(expected in note for note in recipe.notes), expected


def test_too_many_workflow_files(tmp_path: Path) -> None:
    for number in range(workflows.MAX_WORKFLOWS + 5):
        write_workflow(tmp_path, f"w{number:03}.yml", "on: push\njobs: {}\n")
    recipe = infer_recipe(tmp_path)
    assert any(f"only the first {workflows.MAX_WORKFLOWS} read" in note for note in recipe.notes)


def test_called_files_outside_the_tree_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Makefile").write_text("dist:\n\tpython -m build\n")
    tree = tmp_path / "tree"
    write_workflow(tree, "release.yml", GOOD.replace("python -m build", "make -C ../outside dist"))
    os.symlink(outside / "Makefile", tree / "Makefile")
    write_workflow(tree, "tox.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: tox -e build -c ../outside/tox.ini\n")
    (outside / "tox.ini").write_text("[testenv:build]\ncommands = python -m build\n")
    recipe = infer_recipe(tree)
    assert recipe.build_command is None
    write_workflow(tree, "release.yml", GOOD.replace("python -m build", "make dist"))
    recipe = infer_recipe(tree)
    assert recipe.build_command is None
    assert any("Makefile: outside the tree" in note for note in recipe.notes)


def test_unparsable_tox_nox_and_makefile_become_notes(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", """\
on: push
jobs:
  b:
    steps:
      - run: tox -e build
      - run: nox -s build
      - run: make
      - run: twine upload dist/*
""")
    (tmp_path / "tox.ini").write_text("[testenv:build\ncommands = python -m build\n")
    (tmp_path / "noxfile.py").write_text("def build(session):\n    session.run('python', '-m', 'build'\n")
    (tmp_path / "Makefile").write_text("\tpython -m build\nall: all\n\t$(MAKE) all\n")
    recipe = infer_recipe(tmp_path)
    assert recipe.build_command is None
    assert any("`tox -e build` not followed: tox.ini: cannot be parsed" in note for note in recipe.notes)
    assert any("`nox -s build` not followed: noxfile.py: cannot be parsed" in note for note in recipe.notes)


def test_fixtures_are_not_modified(tmp_path: Path) -> None:
    copy = tmp_path / "tox"
    shutil.copytree(DATA / "tox", copy)
    before = sorted((path.relative_to(copy), path.read_bytes()) for path in copy.rglob("*") if path.is_file())
    infer_recipe(copy)
    after = sorted((path.relative_to(copy), path.read_bytes()) for path in copy.rglob("*") if path.is_file())
    assert before == after


def test_uv_build_is_found_but_named_unsupported(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", GOOD.replace("python -m build", "uv build --sdist"))
    recipe = infer_recipe(tmp_path)
    assert recipe.build_command == "uv build --sdist" and recipe.frontend is None
    assert any("uv build" in note and "does not run" in note for note in recipe.notes)


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
