"""What the source stage hands to the next stages: a resolved tag, a clean checkout, the project.

The source stage has one implementation (git), so there is no abstract base here, only the frozen
dataclasses and the stage's errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from verifier.errors import SourceError, SubmoduleError

__all__ = [
    "DEFAULT_BUILD_REQUIRES",
    "GITLINK_MODE",
    "Checkout",
    "NameSource",
    "ProjectInfo",
    "ResolvedTag",
    "SourceError",
    "Submodule",
    "SubmoduleError",
    "TrackedFile",
]

#: PEP 517/518: what a frontend installs when ``pyproject.toml`` has no ``[build-system]``.
DEFAULT_BUILD_REQUIRES: tuple[str, ...] = ("setuptools>=40.8.0",)

#: The git mode of a submodule entry (a "gitlink") in a tree.
GITLINK_MODE = 0o160000

NameSource = Literal["pyproject", "setup.cfg", "setup.py"]


@dataclass(frozen=True)
class ResolvedTag:
    """A git tag and the commit it names.

    ``commit_time`` is the committer time in unix seconds (what SOURCE_DATE_EPOCH is set to);
    ``version`` is the PEP 440 version read from the tag name, normalized (``23.03.3`` gives
    ``23.3.3``), or None when the name holds no version.
    """

    name: str
    commit: str
    commit_time: int
    version: str | None


@dataclass(frozen=True)
class Submodule:
    """A git submodule checked out at the commit its superproject records.

    ``path`` is relative to the checkout root (nested submodules included, ``a/b``); ``url`` is the
    URL recorded in ``.gitmodules``; ``fetched_from`` is where its objects actually came from (the
    source repository's ``.git/modules/<name>`` or the resolved recorded URL).
    """

    name: str
    path: str
    url: str
    commit: str
    fetched_from: str


@dataclass(frozen=True)
class Checkout:
    """A fresh clone with HEAD detached at ``commit``, holding only tracked files and ``.git``."""

    path: Path
    commit: str
    tag: ResolvedTag
    submodules: tuple[Submodule, ...] = ()


@dataclass(frozen=True)
class TrackedFile:
    """One entry of a commit's tree, as ``git ls-tree -r -l`` lists it.

    ``mode`` is git's mode as an integer read from octal (0o100644, 0o100755, 0o120000 for a
    symlink, 0o160000 for a submodule); ``blob_sha1`` is the object id (a commit id for a
    submodule); ``size`` is the blob size in bytes, 0 for a submodule.
    """

    path: str
    mode: int
    blob_sha1: str
    size: int

    @property
    def is_gitlink(self) -> bool:
        """Whether this entry is a submodule rather than a file."""
        return self.mode == GITLINK_MODE


@dataclass(frozen=True)
class ProjectInfo:
    """The Python project found in a source tree, from its static metadata only.

    ``subdir`` is the project's directory relative to the tree ("" for the root), in POSIX form.
    ``name_source`` says which file gave the name. ``version`` is set only when it is written
    statically (normalized when it is a valid PEP 440 version); ``dynamic_version`` is True when the
    version is computed at build time (from git, a file, an attribute, ...). ``build_requires``
    are PEP 518 ``[build-system].requires``, or :data:`DEFAULT_BUILD_REQUIRES` when the project
    declares none; ``build_backend`` is None when none is declared.
    """

    name: str | None
    version: str | None
    subdir: str
    name_source: NameSource | None
    build_backend: str | None
    build_requires: tuple[str, ...]
    backend_path: tuple[str, ...]
    dynamic_version: bool
