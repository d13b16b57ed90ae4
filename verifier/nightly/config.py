"""The nightly job's configuration (TOML), validated whole before any work: every mistake is
reported with its line.

    [defaults]                       # optional; every key can also be set per package
    index-url = "https://pypi.org/simple/"
    builder = "auto"
    normalize = ["mtime", "owner", "gzip-header"]

    [[packages]]
    name = "itsdangerous"
    repo = "https://github.com/pallets/itsdangerous"   # git URL or local path
    tag-pattern = "{version}"                          # optional; default: as `verify` matches tags
    versions = ["2.2.0"]                               # optional; default: releases in the window

Keys for [defaults] and each package: index-url, build-index-url, builder, normalize, python,
source-date-epoch, search, timeout (seconds per target), tag-pattern, subdir, build-user, window
(how many of the newest releases to consider, default 5), queue (the Celery queue of its
targets with `--broker`; default `pants` for builder "pants", else `default`). Package-only keys: name, repo, versions.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import ConfigError
from verifier.normalize.registry import BY_NAME as NORMALIZATIONS
from verifier.recipe.epoch import parse_option as parse_epoch

SHARED_KEYS = {
    "index-url": str,
    "build-index-url": str,
    "builder": str,
    "normalize": list,
    "python": str,
    "source-date-epoch": (str, int),
    "search": bool,
    "timeout": int,
    "tag-pattern": str,
    "subdir": str,
    "build-user": str,
    "window": int,
    "queue": str,
}
PACKAGE_KEYS = {"name": str, "repo": str, "versions": list}
DEFAULTS: dict[str, Any] = {
    "index-url": "https://pypi.org/simple/",
    "build-index-url": None,
    "builder": "auto",
    "normalize": ["mtime", "owner", "gzip-header"],
    "python": None,
    "source-date-epoch": "tag",
    "search": False,
    "timeout": 3600,
    "tag-pattern": None,
    "subdir": None,
    "build-user": None,
    "window": 5,
    "queue": None,
}
MAX_CONFIG_BYTES = 1 * 2**20


@dataclass(frozen=True)
class PackageConfig:
    name: str
    repo: str
    versions: tuple[str, ...] | None
    settings: dict[str, Any] = field(default_factory=dict)  # the shared keys, defaults applied
    line: int = 0

    def get(self, key: str) -> Any:
        return self.settings[key]


@dataclass(frozen=True)
class NightlyConfig:
    path: Path
    sha256: str
    packages: tuple[PackageConfig, ...]


class _Lines:
    """Where things are in the TOML text: `[[packages]]` blocks and keys inside them."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.blocks: list[int] = []  # 1-based line of each [[packages]]
        self.defaults = 0
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if re.match(r"^\[\[\s*packages\s*\]\]", stripped):
                self.blocks.append(number)
            elif re.match(r"^\[\s*defaults\s*\]", stripped):
                self.defaults = number

    def key_line(self, start: int, key: str) -> int:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start, len(self.lines) + 1):
            if number > start and self.lines[number - 1].strip().startswith("["):
                break
            if pattern.match(self.lines[number - 1]):
                return number
        return start


def _check_value(key: str, value: Any, expected: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        kind = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
        problems.append(f"{where}: {key} must be a {kind}, not {type(value).__name__}")
        return
    if key == "normalize":
        unknown = [name for name in value if not isinstance(name, str) or name not in NORMALIZATIONS]
        if unknown:
            problems.append(f"{where}: normalize: unknown {unknown!r}; known: {', '.join(NORMALIZATIONS)}")
    elif key == "versions" and not all(isinstance(item, str) for item in value):
        problems.append(f"{where}: versions must be a list of strings")
    elif key == "source-date-epoch":
        try:
            parse_epoch(str(value))
        except Exception as exc:  # noqa: BLE001 - reported with its line
            problems.append(f"{where}: {exc}")
    elif key == "tag-pattern" and "{version}" not in value:
        problems.append(f"{where}: tag-pattern must contain {{version}}")
    elif key in ("timeout", "window") and value <= 0:
        problems.append(f"{where}: {key} must be positive")


def load(path: Path) -> NightlyConfig:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes")
    text = raw.decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    lines = _Lines(text)
    problems: list[str] = []
    unknown_top = sorted(set(data) - {"defaults", "packages"})
    for key in unknown_top:
        problems.append(f"{path}:{lines.key_line(1, key)}: unknown table or key {key!r} (expected [defaults] and [[packages]])")
    defaults = dict(DEFAULTS)
    raw_defaults = data.get("defaults", {})
    if not isinstance(raw_defaults, dict):
        problems.append(f"{path}: defaults must be a table")
        raw_defaults = {}
    for key, value in raw_defaults.items():
        where = f"{path}:{lines.key_line(lines.defaults or 1, key)}"
        if key not in SHARED_KEYS:
            problems.append(f"{where}: unknown key {key!r} in [defaults]")
            continue
        _check_value(key, value, SHARED_KEYS[key], where, problems)
        defaults[key] = value
    packages_raw = data.get("packages", [])
    if not isinstance(packages_raw, list) or not packages_raw:
        problems.append(f"{path}: no [[packages]]: nothing to verify")
        packages_raw = []
    packages: list[PackageConfig] = []
    seen: dict[str, int] = {}
    for position, entry in enumerate(packages_raw):
        start = lines.blocks[position] if position < len(lines.blocks) else 1
        if not isinstance(entry, dict):
            problems.append(f"{path}:{start}: [[packages]] entry {position + 1} is not a table")
            continue
        settings = dict(defaults)
        for key, value in entry.items():
            where = f"{path}:{lines.key_line(start, key)}"
            expected = PACKAGE_KEYS.get(key) or SHARED_KEYS.get(key)
            if expected is None:
                problems.append(f"{where}: unknown key {key!r} in [[packages]]")
                continue
            _check_value(key, value, expected, where, problems)
            if key in SHARED_KEYS:
                settings[key] = value
        for required in ("name", "repo"):
            if required not in entry:
                problems.append(f"{path}:{start}: [[packages]] entry {position + 1} has no {required!r}")
        name = entry.get("name")
        if isinstance(name, str):
            if name in seen:
                problems.append(f"{path}:{start}: package {name!r} is listed twice (first at line {seen[name]})")
            seen[name] = start
        if isinstance(name, str) and isinstance(entry.get("repo"), str):
            versions = entry.get("versions")
            packages.append(
                PackageConfig(
                    name=name,
                    repo=entry["repo"],
                    versions=tuple(versions) if isinstance(versions, list) else None,
                    settings=settings,
                    line=start,
                )
            )
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in {path}; nothing was run", details="\n".join(problems))
    return NightlyConfig(path=path.resolve(), sha256=hashlib.sha256(raw).hexdigest(), packages=tuple(packages))
