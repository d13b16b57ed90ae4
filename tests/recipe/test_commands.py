"""What one shell command does: build, publish or neither (verifier/recipe/commands.py, frontends.py)."""

from __future__ import annotations

import pytest

from verifier.recipe.commands import classify


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
