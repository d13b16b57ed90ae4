"""Reading ``pyproject.toml``: PEP 621 ``[project]``, PEP 517/518 ``[build-system]``, poetry, flit.

Only static values are read; a value of the wrong type is an error naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from verifier.source.declared import BuildSystem, Declared, normalize_version
from verifier.source.interface import SourceError
from verifier.source.treefiles import decode_utf8

__all__ = ["Pyproject", "parse_pyproject"]


@dataclass(frozen=True)
class Pyproject:
    """What a ``pyproject.toml`` says about the project.

    ``declared`` comes from ``[project]``, else ``[tool.poetry]``, else ``[tool.flit.metadata]``,
    and is None when the file has none of them (a file holding only tool settings).
    """

    declared: Declared | None
    build_system: BuildSystem | None

    @property
    def is_project(self) -> bool:
        """Whether the file describes a buildable project, not only tool settings."""
        return self.declared is not None or self.build_system is not None


def parse_pyproject(data: bytes, filename: str) -> Pyproject:
    """Parse the bytes of a ``pyproject.toml``; ``filename`` names it in errors."""
    text = decode_utf8(data, filename)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{filename}: invalid TOML: {exc}") from exc
    except RecursionError as exc:
        raise SourceError(f"{filename}: invalid TOML: nested too deeply") from exc
    reader = _Reader(filename)
    return Pyproject(
        declared=_declared(document, reader), build_system=_build_system(document, reader)
    )


def _declared(document: dict[str, Any], reader: _Reader) -> Declared | None:
    project = reader.table(document, "project")
    if project is not None:
        dynamic = reader.string_list(project, "dynamic", "project") or ()
        version = reader.string(project, "version", "project")
        return Declared(
            name=reader.string(project, "name", "project"),
            version=None if "version" in dynamic else normalize_version(version),
        )
    tool = reader.table(document, "tool") or {}
    poetry = reader.table(tool, "poetry", "tool")
    if poetry is not None:
        plugin = reader.table(tool, "poetry-dynamic-versioning", "tool") or {}
        computed = plugin.get("enable") is True
        version = reader.string(poetry, "version", "tool.poetry")
        return Declared(
            name=reader.string(poetry, "name", "tool.poetry"),
            version=None if computed else normalize_version(version),
        )
    flit = reader.table(reader.table(tool, "flit", "tool") or {}, "metadata", "tool.flit")
    if flit is not None:
        name = reader.string(flit, "dist-name", "tool.flit.metadata") or reader.string(
            flit, "module", "tool.flit.metadata"
        )
        return Declared(name=name, version=None)  # flit reads __version__ from the module
    return None


def _build_system(document: dict[str, Any], reader: _Reader) -> BuildSystem | None:
    table = reader.table(document, "build-system")
    if table is None:
        return None
    requires = reader.string_list(table, "requires", "build-system")
    if requires is None:
        raise SourceError(f"{reader.filename}: [build-system] has no 'requires' (PEP 518)")
    return BuildSystem(
        requires=requires,
        backend=reader.string(table, "build-backend", "build-system"),
        backend_path=reader.string_list(table, "backend-path", "build-system") or (),
    )


class _Reader:
    """Typed access to TOML values; a wrong type is a SourceError naming file and key."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def table(self, parent: dict[str, Any], key: str, where: str = "") -> dict[str, Any] | None:
        value = parent.get(key)
        if value is None or isinstance(value, dict):
            return value
        raise self._wrong(where, key, "a table")

    def string(self, parent: dict[str, Any], key: str, where: str) -> str | None:
        value = parent.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self._wrong(where, key, "a string")

    def string_list(self, parent: dict[str, Any], key: str, where: str) -> tuple[str, ...] | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise self._wrong(where, key, "a list of strings")

    def _wrong(self, where: str, key: str, expected: str) -> SourceError:
        dotted = f"{where}.{key}" if where else key
        return SourceError(f"{self.filename}: {dotted} must be {expected}")
