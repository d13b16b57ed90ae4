"""Reading a Pants repository's pants.toml (TOML, read, never evaluated by Pants' own machinery).

Only the options the builder needs are read. A list option may be given as a list, or in Pants'
edit form ``{add = [...], remove = [...]}`` (``key.add = [...]`` in TOML), applied to Pants' default.
String values may use Pants' ``%(buildroot)s`` interpolation; other interpolations are left as written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from verifier.pants.interface import ConfigError

__all__ = [
    "DEFAULT_BOOTSTRAP_SEARCH_PATH",
    "DEFAULT_BUILD_PATTERNS",
    "DEFAULT_INDEXES",
    "DEFAULT_INTERPRETER_CONSTRAINTS",
    "DEFAULT_PANTS_IGNORE",
    "PANTS_TOML",
    "PantsConfig",
    "detect",
    "pants_version",
    "read_pants_config",
]

PANTS_TOML = "pants.toml"
# Pants 2.x defaults of the options read here (2.16; stable across 2.x for these).
DEFAULT_INTERPRETER_CONSTRAINTS = ("CPython>=3.7,<4",)
DEFAULT_BOOTSTRAP_SEARCH_PATH = ("<PYENV>", "<PATH>")
DEFAULT_INDEXES = ("https://pypi.org/simple/",)
DEFAULT_BUILD_PATTERNS = ("BUILD", "BUILD.*")
DEFAULT_PANTS_IGNORE = (".*/", "/dist/")


@dataclass(frozen=True, slots=True)
class PantsConfig:
    """The options of one pants.toml that matter to a rebuild; each ``*_set`` flag says whether the
    file sets the option (else the value is Pants' default)."""

    pants_version: str
    interpreter_constraints: tuple[str, ...]
    interpreter_constraints_set: bool
    bootstrap_search_path: tuple[str, ...]
    bootstrap_search_path_set: bool
    indexes: tuple[str, ...]
    indexes_set: bool
    pex_cli_version: str | None
    ca_certs_path: str | None
    local_execution_root_dir: str | None  # as written, %(buildroot)s interpolated to "<buildroot>"
    build_patterns: tuple[str, ...]
    pants_ignore: tuple[str, ...]

    def execution_root_in_buildroot(self) -> str | None:
        """The configured local_execution_root_dir relative to the build root (".tmp"), or None when
        it is unset or outside the build root. Pants does not create it; the build script must."""
        value = self.local_execution_root_dir
        prefix = "<buildroot>/"
        if value is None or not value.startswith(prefix):
            return None
        relative = PurePosixPath(value[len(prefix):])
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            return None
        return relative.as_posix()


def detect(tree: Path) -> bool:
    """True when `tree` is a Pants repository: a pants.toml at its root."""
    return (tree / PANTS_TOML).is_file()


def _load(tree: Path) -> dict[str, Any]:
    path = tree / PANTS_TOML
    try:
        with open(path, "rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError as exc:
        raise ConfigError(f"no {PANTS_TOML} at the root of {tree}: not a Pants repository") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{PANTS_TOML} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, Mapping):
        raise ConfigError(f"{PANTS_TOML}: [{name}] is not a table")
    return section


def _interpolate(value: str) -> str:
    return value.replace("%(buildroot)s", "<buildroot>")


def _string_option(data: Mapping[str, Any], section: str, key: str) -> str | None:
    value = _section(data, section).get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{PANTS_TOML}: [{section}].{key} must be a string, not {type(value).__name__}")
    return _interpolate(value)


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{PANTS_TOML}: {where} must be a list of strings")
    return [_interpolate(item) for item in value]


def _list_option(data: Mapping[str, Any], section: str, key: str,
                 default: Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """(value, whether the file sets it) of a list option, edits applied to `default`."""
    where = f"[{section}].{key}"
    value = _section(data, section).get(key)
    if value is None:
        return tuple(default), False
    if isinstance(value, Mapping):
        unknown = set(value) - {"add", "remove"}
        if unknown:
            raise ConfigError(f"{PANTS_TOML}: {where} has unknown edit keys {sorted(unknown)}")
        result = [item for item in default if item not in _strings(value.get("remove", []), where + ".remove")]
        result += _strings(value.get("add", []), where + ".add")
        return tuple(result), True
    return tuple(_strings(value, where)), True


def read_pants_config(tree: Path) -> PantsConfig:
    """The options of `tree`/pants.toml that matter to a rebuild. Raises ConfigError when the file is
    missing or malformed or has no ``[GLOBAL] pants_version``."""
    data = _load(tree)
    version = _string_option(data, "GLOBAL", "pants_version")
    if not version or not version.strip():
        raise ConfigError(f"{PANTS_TOML} has no [GLOBAL] pants_version: the Pants release to run is unknown")
    constraints, constraints_set = _list_option(data, "python", "interpreter_constraints",
                                                DEFAULT_INTERPRETER_CONSTRAINTS)
    search_path, search_path_set = _list_option(data, "python-bootstrap", "search_path",
                                                DEFAULT_BOOTSTRAP_SEARCH_PATH)
    indexes, indexes_set = _list_option(data, "python-repos", "indexes", DEFAULT_INDEXES)
    build_patterns, _ = _list_option(data, "GLOBAL", "build_patterns", DEFAULT_BUILD_PATTERNS)
    pants_ignore, _ = _list_option(data, "GLOBAL", "pants_ignore", DEFAULT_PANTS_IGNORE)
    return PantsConfig(
        pants_version=version.strip(),
        interpreter_constraints=constraints,
        interpreter_constraints_set=constraints_set,
        bootstrap_search_path=search_path,
        bootstrap_search_path_set=search_path_set,
        indexes=indexes,
        indexes_set=indexes_set,
        pex_cli_version=_string_option(data, "pex-cli", "version"),
        ca_certs_path=_string_option(data, "GLOBAL", "ca_certs_path"),
        local_execution_root_dir=_string_option(data, "GLOBAL", "local_execution_root_dir"),
        build_patterns=build_patterns,
        pants_ignore=pants_ignore,
    )


def pants_version(tree: Path) -> str:
    """The Pants release the repository pins: ``[GLOBAL] pants_version`` of its pants.toml."""
    return read_pants_config(tree).pants_version
