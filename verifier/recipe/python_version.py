"""CPython versions as written in a tree: single versions, their order, `.python-version` files."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from verifier.recipe.interface import Setting
from verifier.recipe.tree_files import read_tree_file

PYTHON_VERSION_FILE = ".python-version"
VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")


def version_key(text: str) -> tuple[int, ...]:
    """Numeric sort key of a version."""
    return tuple(int(part) for part in re.findall(r"\d+", text))


def fallback_python(tree: Path, notes: list[str]) -> tuple[str | None, list[Setting]]:
    """The Python named by `.python-version` at the root of the tree, if any."""
    return python_file(tree, PYTHON_VERSION_FILE, notes, None)


def python_file(tree: Path, relative: str, notes: list[str], origin: str | None) -> tuple[str | None, list[Setting]]:
    """The first version in a `.python-version`-style file."""
    name = posixpath.normpath(relative)
    if posixpath.basename(name) in ("pyproject.toml", "setup.cfg", ".tool-versions", "Pipfile"):
        notes.append(f"{origin}: python-version-file {relative} is not read (only plain version files)")
        return None, []
    text, why = read_tree_file(tree, name)
    if why:
        notes.append(why)
    if text is None:
        return None, []
    for number, line in enumerate(text.splitlines()[:50], 1):
        value = line.split("#", 1)[0].strip().removeprefix("cpython-").removeprefix("python")
        if not value:
            continue
        note = f"{name} (python-version-file of {origin})" if origin else f"{name}, no python-version in the build job"
        if VERSION.match(value):
            return value, [Setting("python", value, f"{name}:{number}", note)]
        notes.append(f"{name}:{number}: {value!r} names no single CPython version")
        return None, []
    return None, []
