"""What one metadata file declares: shared by the pyproject, setup.cfg and setup.py readers."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

__all__ = ["BuildSystem", "Declared", "normalize_version"]


@dataclass(frozen=True)
class Declared:
    """A project's name and static version as one file declares them, None where it does not.

    ``version`` is None when the file says the version is computed at build time.
    """

    name: str | None
    version: str | None = None


@dataclass(frozen=True)
class BuildSystem:
    """PEP 517/518 ``[build-system]`` of a ``pyproject.toml``."""

    requires: tuple[str, ...]
    backend: str | None
    backend_path: tuple[str, ...]


def normalize_version(text: str | None) -> str | None:
    """A PEP 440 version in normal form; text that is not one is kept as written (stripped)."""
    if text is None:
        return None
    try:
        return str(Version(text))
    except InvalidVersion:
        return text.strip()
