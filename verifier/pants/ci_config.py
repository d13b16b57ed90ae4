"""The Pants configuration files a repository's CI adds on top of pants.toml.

Pants repositories often keep CI-only options in `pants.ci.toml` and point Pants at it from the CI
workflow: `PANTS_CONFIG_FILES: pants.ci.toml` (an `env:` entry or an `export`). Pants reads those
files after pants.toml, so CI's options win. The pants builder applies the same files the same
way (the variable, in the build container); options the builder itself sets on the command line
still win over both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from verifier.recipe.tree_files import inside, read_tree_file
from verifier.recipe.workflows import workflow_files

_SETTING = re.compile(r"""PANTS_CONFIG_FILES\s*[:=]\s*(\S.*?)\s*(?:\s#.*)?$""")


@dataclass(frozen=True)
class CiConfigFiles:
    """`PANTS_CONFIG_FILES` as CI sets it, with where, and the files of it the tree holds."""

    value: str  # as written: "pants.ci.toml" or "+['pants.ci.toml']"
    files: tuple[str, ...]
    origin: str  # file:line of the workflow


def _files_of(value: str) -> tuple[str, ...]:
    """The file names of a PANTS_CONFIG_FILES value (a path, or Pants' list form `+['a', 'b']`)."""
    names = re.findall(r"[\w./-]+\.toml", value)
    return tuple(name for name in names if not name.startswith(("/", "..")) and "/../" not in name)


def ci_config_files(tree: Path) -> CiConfigFiles | None:
    """The PANTS_CONFIG_FILES the first workflow setting it names, when the tree holds those files."""
    relatives, _ = workflow_files(tree)
    for relative in relatives:
        text, _ = read_tree_file(tree, relative)
        for number, line in enumerate((text or "").splitlines(), start=1):
            match = _SETTING.search(line)
            value = match.group(1).strip("\"'") if match else ""
            if not value or "$" in value:
                continue
            files = _files_of(value)
            present = tuple(name for name in files if (found := inside(tree, name)) is not None and found.is_file())
            if files and present == files:
                return CiConfigFiles(value, files, f"{relative}:{number}")
    return None
